　Feature: \n """ <b> 日本

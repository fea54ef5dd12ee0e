# encoding: utf-16
Feature: x

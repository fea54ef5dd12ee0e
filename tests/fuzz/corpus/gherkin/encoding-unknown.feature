# encoding: klingon
Feature: x

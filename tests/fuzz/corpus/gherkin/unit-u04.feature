#language:xx
Feature: f

# encoding: iso-8859-1
Feature: café
  Scenario: déjà
    Given ça

@t
Feature: f
  Scenario: s "q" \
    Given a	b

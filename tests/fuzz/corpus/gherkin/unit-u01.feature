Feature: é
　Scenario: s
  @é @b
  Scenario: t

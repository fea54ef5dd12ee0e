@resource:cpu=0.1,memory=128,storage=10,story_points=1
Feature: Calculator
  A tiny calculator, specified first; its tests are generated from this
  file by `specgate generate` and its steps written by hand.

  Scenario: Adding two numbers
    Given a calculator
    When I add 2 and 3
    Then the result is 5

  Scenario: Dividing by zero is refused
    Given a calculator
    When I divide 1 by 0
    Then I see the error "division by zero"

  Scenario Outline: Averages
    Given a calculator
    When I average <a> and <b>
    Then the result is <mean>

    Examples:
      | a   | b   | mean |
      | 1.5 | 2.5 | 2    |
      | -4  | 4   | 0    |

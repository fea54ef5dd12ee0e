Feature: f
  desc

  Scenario: s
    Given x
      """
      a
      b
      """

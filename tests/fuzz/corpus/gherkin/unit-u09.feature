Feature: f
  Scenario: s
    Given x
    @a b
    """

Feature: f
  Scenario:
    Given x
    """

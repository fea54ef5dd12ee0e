Feature: f
  Scenario Outline: <a> <b> <a>
    Given $ <c>
    Examples:
      | a   | b | c  |
      | <b> | x | $& |
    Examples: no table
    Examples: no rows
      | a |

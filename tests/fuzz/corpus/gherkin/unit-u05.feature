Feature: f
  Scenario: s
    Given t
      | a\|b | c\nd | e\\f | g\h |  \n | ü |

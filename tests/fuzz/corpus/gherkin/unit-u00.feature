# a comment
@ft1 @ft2
Feature: Full
  Feature description

  Background: bg
    Given a background step

  @st
  Scenario Outline: outline <x>
    When I use <x>
      | a  |   b |
      | <x> | 2 |
    Then a doc string
      ```json
      {"x": "<x>"}
      ```

    @et
    Examples: first
      | x |
      | 1 |
      | 2 |

  Rule: a rule
    Example: in the rule
      * a star step

# Step texts that exercise every rule of Cucumber's expression generator:
# compared with @cucumber/cucumber-expressions by t1210-snippets.
Feature: Snippets that are hard to get right

  Scenario: numbers
    Given I have 42 cukes in my belly
    And I have -7 cukes and +7 cukes
    And I have 3.14 and .5 and -.5 and 1.2.3 and 1e5 and 2E5
    And a price of 12.50 dollars, 8.0 euros; 007 pounds
    And version v1.2 and 3rd place and x5 and 5x
    And the range 1-2 and 10/20 and (30) and [40] and {50}
    And the dash - alone and the plus + alone and the dot . alone
    When I subtract 5 - 3
    Then the total is 1,000,000 and 1_000
    And the text ends with 9

  Scenario: strings
    Given the user "alice" says 'hello'
    And an empty string "" and an empty '' too
    And an escaped "say \"hi\"" and 'it\'s'
    And "unterminated quote
    And mixed "a 'b' c" and 'd "e" f'
    And adjacent"glued" and "glued"adjacent
    And a "string with 42 inside" and 42
    When I type "a\\b" and "tab\there"
    Then "first" "second" "third"

  Scenario: escapes and symbols
    Given the path /usr/local/bin (default) is {set}
    And I see {1} and {a} and \{2}
    And 5% of 100 = 5 and 3 < 4 > 2 and $9 and €10 and 10€
    And price: 5€, ¥3, £2 and 2° and ±4 and 7×8
    And emoji 🚀5 and 5🚀 and «12» and „13“ and 14…
    And non-breaking 15 16 and ideographic　17　spaces
    And Ünïcödé 18 and ça 19 and 20ème
    When I reply @user 21 #22 ~23 ^24 |25| `26`
    Then the end: 27!

  Scenario Outline: an outline row
    Given I have <n> things called "<name>"
    Then I owe <price>

    Examples:
      | n  | name  | price |
      | 1  | one   | 1.5   |
      | -2 | two   | -0.25 |

 	Business Need:
      $1 # <b>
	Scenario Outline: x$y
  desc # ```
　* a\b \|
|<b>| b |
* 
	|😀|$&|
  |\\|c d|
 |\||<b>|
  @@x@@x
Examples:
　|b|a|
　|<a>|\n|
　|😀|\n|
      @a b  @t-1#c 
　Examples:
	|a|b|
    |é|$&|
 |😀|c d|
	@tag @t-1	# c
  Scenario: 
  
When 
    Scenarios: <<a>> \|
      |a|a|
    |<b>|é|
 Rule: <<a>> foo <c d>
　Background: < 😀 | <a>
    Then \
	|\|  x  |é|
  """
| a |
    | a |
  \`\`\`
  """
　And 
 But \n bar @
|\\|é|
      |  x  | b |
　|<a>|<a>|
  Rule:
Scenario: 
Given < <<a>> |
    And \| x$y x$y
* é
      Examples: """ 日本 <
  
# comment

 |a|
 	|\\|
 	|😀|
@é@x#y 	
 	Examples:
  
	``` <a> \n
 	|a|
| |
　|c d|
||
  #  language :  en  
  Ability: 
　desc :
      @<a>  @a b  @<a>
 | a\b @
Scenario Outline: 
      > : :
Then 
    """<a>
      \`\`\`
\"\"\"
    ```x
    """ junk
　@é #c
  Scenarios:
 | a\b @
  
    |a|b|
Rule: 
      Background:
| > ```
　When | ``` foo
      |<b>|
 |a|
  |\||
    ```<a>
    ``` junk
 	Given 
　|	|é|
|a|a|
  |\||\\|
    But <c d> 日本
　|c d|
 	|\||
  @a b@t-1@ @z # @y
      Example: 
  
When <c d>
  |\x|\n|
But <c d>
 	| |😀|
      * 
  When |
  Then bar \n # :
      Example: 
      Examples: 😀 # x$y
 	Scenario Outline: 
  
Given 日本 bar
	@t-1	@é#c
　Scenarios:
# comment
  😀 ``` <<a>>
 |b|a|
 	| b |a|
	Rule:
      Background:
# comment
# comment
  Scenario Template: 
But x$y
 	```json
 	\"\"\"
\"\"\" and \"\"\"
 	```
But : <a>
　|é||
| b |<b>|
  |\|a|
	Then foo \
    And 
Scenarios:
# comment
      @tag	@tag	@<a>
  Scenario Template: 
\ <b> <<a>>
But x$y
      foo \ ```
# comment
      And 
# c
      Given <b> 日本 :
      And <<a>>
|a||
	|\\|$&|
　|\\|  x  |
  And 
  Scenario: 
  But <<a>> bar @
　But <c d> 日本
But  
|\||	|
    @t-1 @😀#c
 Scenarios: bar \| > <
    <b> foo <c d>
# comment
  
　|a|a|
    |😀||
  |\x|😀|
  |\x||
  @t-1	@x#y	@a
      Examples: <c d>
|a|a|
  |\||\|

# top comment
　@é
	Ability: 日本
      Background:
Given é <a>
      Then a\b ``` <
|<b>|\| 
  |\x|😀|
|<b>| |
Then < <<a>>
|\\|\||
    |\|| b |
  |<a>|\x|
      Example:
 	Then 
 When 
 	But |
　"""json
　  \"\"\" and \"\"\"
　\"\"\" and \"\"\"
  """
    But <c d> > # <<a>>
Scenarios:﻿
  
      |a|b|c d|
      |a|\| |
	Scenario Outline: 
 desc """ | :

  * : é
	Given 
 * > 日本
Rule:

  
@a	@a
	Rule: x$y a\b
    Scenario Outline: 
Scenario: 
      \ < #
  
    But > bar é x$y
@a  @<a>﻿
      Scenario Outline: 
  
But \n <c d>
　| b |
　|\n|
 """<a>
 | a |
 \"\"\"
\"\"\" 
    Given 
  |\n|
  |$&|	
　And 😀 @ 日本 x$y
| | b |	|
  |$&|\\|c d|
  * 
	```json
	```

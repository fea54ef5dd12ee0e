 @é @x#y 
      Ability: <b> <<a>>
日本 😀 é
 [ @<a>
	Scenario Template: 
  desc 
 @ é bar
 When ``` < 日本 x$y
 Given ```
  * é é
      Given <b> """ <<a>> """
 Scenarios: 
  |a|  |a|
  @@x	@tag	@<a>	@é
    Example: \n
　Given <
	@@x  @a b
# c
Scenarios:

  
      ||
@<a>@😀
Rule:
<<a>> <<a>> @
 desc # x$y
    @é	# c
Scenario Template:  Feature: \
desc #
  
  Scenario Outline:
* \n
 	But 日本 日本 """
 	```
@t
 	  \"\"\"
\"\"\" and \"\"\"
 	\`\`\`
 	```
Examples:
  | @ ```
  
|a|
 	|\x|
  | |	
@a	@@x	
 Scenario Template: \n a\b ```
  And é \| \
  #c
 Examples: > | \| """
 	||
  |  x  |
      |	|
 	|	|
 	Examples: 


    @<a> @x#y @x#y	# c
      Scenario Template: 
  When <a> <b>
  * 
 | b |	|
 |\x|<b>|
      |$&||
 	"""<a>
  """ junk
	Examples: 
 日本 a\b """
|| 
	|\||
|\x|
  Rule: """
 	😀 bar <a>
@a b@é@t-0	
  Rule: < <a> \n x$y
Background:

      bar @ é
 	desc \ <a> | |
 	And a\b \|
　```json
　@t
  ```
Then < 😀 é #
  Then 
	@tag@😀 
      Scenario Outline:  

    desc ```
  desc \n <c d> 
@a  
Scenario Outline: 
* @ 😀 |
	@
　Examples:
    desc """ \ 日本
 	|a|
      |c d|
    |\x|
 	Scenarios:
# commen a\b <b>
 	desc foo
 	When *""x  |
  Examples:
      | b |\\
	@tag  @t-1  @é  @😀 
      Scenario Outline:
 Then 
 @tag @é @a @a
  Examples:
  
  
 	|b|a|
@tag
  @t-1  @<a>
      Example: <a> > é
	Examples: x$y <a>
  
<b> <c d> \n﻿
      Scenarios: 
  
# comment
foo > ```
    ||
  |\x|  # c﻿
 |\||
      ne:
 Then 
 @tag @é @a @a
  Examples:
  
  
 	|b|a|
@tag
  @t-1  @<a>
      Example: <a> > é
	Examples: x$y <a>
  
<b> <c d> \n﻿
      Scenarios: 
  
# comment
foo > ```
    ||
  |\x|  # c﻿
 |\|t
  
  
	|b|a|
 	|	|<a>|
    |  x  |  x  |  
 	|$&|a|
    @x#y@t-1@é 
 Scenario: 
　desc 😀|
      |<a>
# comment

 But $1 >
 	|a|
|\n|
　Then """
　E|xamples:


  
  
    |b|a|
|<a>|c d|  # c
|\||é|
　|$&|  x  |
  
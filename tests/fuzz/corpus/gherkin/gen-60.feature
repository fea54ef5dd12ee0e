  Business Need: <<a>> @ $1
    Scenario Outline: 

```
|\\|\\|\n|
      |$&|a|\||
	|<b>|$&|\\|
 	But #
　@a@﻿
@t-1	@a b
```
  * < @ é <a>
    |a|
　|  x  |
But """ |
    * : \|
@x#y #c
Rule: foo # # ```
 	Background: 
# comment

	Then foo 日本
  * x$y <<a>>
 	|\|
 |😀|
 	@@tag@@😀
 Example: \n 😀 <c d> #
 	desc $1
 	desc <<a>> |
# comment
 	Then 日本 \|
  """json
"""
    And foo >
	| |	|
  |<a>||
|<a>|\x|
	When x$y 日本
      @a
	Scenarios: $1 # bar 😀
|b|a|
|c d|é|
    |$&|é|
    Example: a\b
 	desc <b> @ ```
  \| <b> \|
  < 😀 <
　And # <b>
  |\n| 
 ```
 ```
	But # $1 bar
  @x#y	@t-1
	Scenarios: <b> 😀
  
  
foo \ """
      |a|b|c d|
|c d| |😀|
	|	|😀|\|
 |😀|\||	|
Scenario Template:
# comment
  
# comment
Then a\b x$y
  ```x y	
  ``` junk
* foo \| $1 #
    """<a>
""" junk
 Scenarios:
\ > \
　desc 
  
||
    |\n|
      Scenarios: 日本 a\b \
# bar \
# comment

||
|	|
　|	|
    |\n|
      Rule: é é <b>
  
# comment
 	Background: 
      And <<a>> \ a\b
      |	|
 	|<a>|  # c
    When 
 	Given """ é #
　|😀|
　@t-1@t-1
Example: 
	Given é 
    @ @😀
　Scenario Template:
  desc 
  desc <c d> a\b <<a>>
      Given < foo
 	And | """ 日本
  |  x  |c d|  x  |
@x#y @t-1 @
  Examples: x$y a\b | #
|b|a|
 |c d|a|
      Scenario: 
	Given foo 😀
 @@x
  Examples: a\b a\b <a>
  x$y é 😀
  

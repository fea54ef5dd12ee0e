  @x#y
      Feature: <b> 😀 日本  
  
# comment
  @é
Scenario: 
# comment
 desc > ```
  @@x  
 Scenarios: ``` \

@ <b> é
  |a|b|
 	|é|é|
      Scenario Outline: ``` <a>
      \| | ```
 	Given <c d> 😀 <a>
||é|\\|
|$&|a|\||
    Given 😀 <b>
    ||<b>|
| b |\x|
  #c
 And <c d> |
　Scenarios:
  |a|
|\n|
      @<a>
　Scenario: 
　Given \| <a>
 | |<a>| 
  |😀|  x  |
　|c d|\\|
    Given é 😀
      |	|
    ```
    😀 😀 \n @
    """x 
bar bar <a>
  ```
  #c
  * 
    """ text/plain 
""" junk
# c
    But \n é
　@x#y
　Examples: <b> bar \|	
""" <a> $1
   
<a> bar $1
 @😀
Rule: 
# comment
  
	Background: $1 """ <<a>> 😀
But é
 	|c d|  x  |
 	|$&|  x  |
  Then <a>
 	|\|| b |
  #c
  When \ <c d> é 😀
    |<a>|
Scenario Template:
  When # 日本
 ```x y
   #c
\`\`\`
 ```
      And |
      Then <<a>> <c d> bar \|
　|😀|
 |\\|
"""json
| a |
@t
<c d> é
""" junk
    When ``` \| >
  |\\|a|
  """x y
\"\"\"
  """
　Examples:	
  desc x$y
  desc <b> <b>
  |b|a|
	| b |<a>|
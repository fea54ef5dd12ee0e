# top comment
@a@😀@😀@
 	Business Need: # <<a>> \n
Background: 😀

	desc 日本 <<a>> \n 日本
  
  Then 
 	|<b>|<a>|
| b |c d|﻿
  ```json
    """ ``` < bar
 """x
    | a |
 Scenario Template:
    But \n # ```
      """<a>
  Scenarios: <a> bar
||
      |\||
 Rule:
Background: ```
    desc | # x$y <c d>

      * <a>
  When 
"""json
 \"\"\" and \"\"\"
\"\"\" and \"\"\"
  | a |
  """ junk
      When $1 >
  #c
Scenario Outline: ```
  

* """ x$y <c d> ```
``` text/plain 
#c
#c
  @t
@t
  ```
      And 
	@@x@tag@é@
Examples: 
  
  ||
 |  x  | 

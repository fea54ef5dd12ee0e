# top comment
  @tag  @t-1﻿
Ability:
Background:
　And bar
 |  x  |
|  x  |
Then 
	Rule:
 	Background:
    When <b>
  |c d|
　|\n|
|$&|
  When : x$y > 日本
  |é|c d|a|
| b |  x  |  x  |
 ||\|||
　@😀 @@x @é @t-1
	Example:
  Then 
  """x y
@t
  """
  But > \n \ <c d>
　|\\|\x|$&|
  |\\|\\|\|
    ```<a>
    ```
	@é
 Examples:
  é \| bar
 	|a|b| 
	Scenarios: > <c d> <b> <a>
# comment
|a|b|c d|
  @@😀@@x@@x  
	Scenario:
  When \n a\b foo """
 	Then é
 	""" text/plain 
"""
　@é﻿
  Rule:

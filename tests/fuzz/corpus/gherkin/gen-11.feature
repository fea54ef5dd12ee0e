      Ability: x$y <a> > \
 @é@@x@@tag @z # @y
 	Example:
# comment
# comment
 	desc foo <b> <a> <<a>>
 When """ :
  But 
And """ @ 日本 <
 |é|<a>|
　@é	# c
Scenarios: <b> <b> ``` 
 	desc @ <c d> $1 x$y
    |a|b|c d|
  @ @z # @y
  Scenario: 
    * # 日本
  |\\|
      |\||
Rule: 
 	``` @ <a>
　Background:
      Given a\b bar \ $1
　"""json
 #c
\"\"\" and \"\"\"﻿
```x
　  ```x
"""
	Given # < > #
　Given <
    |<a>|
      | b |

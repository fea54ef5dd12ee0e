#language:en  
Business Need:
 desc 
  
    Scenario Template: 
      @@x
	Scenario Outline: \ ```
	@<a>	@tag﻿
      Examples:
  
    |a|
 	|😀|
　Rule:

  bar 😀 """
  
    @a b	@tag	@x#y
    @@x	@😀	@x#y 
　Scenario Template: bar @
    And | \
Given <b> ```
``` text/plain 
 #c
 \
| a |
``` junk
 	Then a\b

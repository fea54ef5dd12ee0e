#language:en 
Feature: 

  
    Scenario: 
	Scenario Template: 

é a\b foo
# comment
  Scenarios:
      |a|b|c d|
@ @ @@x @ 
 Scenario Outline: 

  
@t-1	# c
	Rule: 
  Background:
　And é bar
　```<a>
 \"\"\" and \"\"\"
　\"\"\" and \"\"\"
　  """x
　```
But | : $1
  |é|$&|<b>|
  |	|\\| b |
 	```x y
 \"\"\" and \"\"\"
 	  \|
 @t
``` | \ :
  ``` junk
  Scenario Outline:
  
 	@<a>
  @t-1 @x#y @<a>
 Scenario Template: foo
# comment

But <a> foo
  """x y
  """ junk
      But <c d> @ \n
  |  x  |
|\x|
|a|  
@tag@😀@😀
Scenarios:
 	|b|a|
      |	|<b>|\
 	|<a>|\n|

	Ability:

# comment
Background: foo <b>
# comment
 @ <a> 😀
      \n | bar
	* x$y
And < foo x$y <
Scenario Template: 
  
<a> \ """
* @
　|a|	|	|
      @  @😀
  Examples: x$y a\b foo
   
|b|a|
　| ||
|😀||
      Scenario:
desc 
　* > | @ 
      Given \ \
  * 
　```
@t
　"""x
　  <<a>>
　```
 	Scenarios: \n 😀 |
      |a|b|c d|
  |	|\|a|
	|\|||
      Scenarios: <<a>>
# comment﻿
	|b|a|
  |	|a|
Rule:
 Background:
    Then <c d> >
      Given x$y 😀
      |é||c d|
　|c d|😀|<a>|
	|<b>|\x| |
  Scenario Outline: 
  a\b <b> 日本
# comment
  
When < :
 	"""json
@t
 	  \
  """
	Then \| \|
  ```
  \n <c d>

```
  | |\n|
  |	|<b>|
Scenarios:﻿
	|b|a|
	@tag  @x#y
 Scenarios:
 	|a|a|
 	Scenario Template:
Examples: """




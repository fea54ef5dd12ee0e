# top comment
  Business Need: \n < <a>
	bar : \n
　Background:
　desc <<a>> \ #
 	And foo
 	* <c d> > é
  |<a>|\x|
    Example: \n <<a>> bar
When <b> $1
    """
@t
\"\"\" and \"\"\"
 #c
 < foo """
    """
	Given @ bar
  #c
      Scenario: < foo >
　Then <a>
 	Given foo <<a>> # :
　|<a>|
      |\||
	```
	```
 And 
	Scenarios:
<c d> bar <<a>>
　|b|a|
  | b |  x  
 	|<b>|c d|
|  x  |\x| 
  @<a>  @@x  @é  @tag
	Examples:
 	@tag
  Rule:
　Scenario: $1 | 日本
  But 日本 # #
 	Then ``` | <
　Given < <
 """json
 \"\"\"
   ```x
    |é|  x  |
    |\\|$&|
  @ @x#y

  Example:
      desc $1 x$y > \n
  
      : é <c d>
　* <<a>> < $1
  Then <a> foo bar
# c
    Examples:

  |a|b|c d|
　| |<b>| b |
      |  x  |\x| |
 |é|<b>|é|
Scenario Template: | # é
# comment
  a\b 日本 é

 	And ``` <a>
      When 
 	And 
    ``` text/plain 
 \"\"\" and \"\"\"
    @t
``` junk
  #c
  Examples: a\b #
　desc # <c d>
|b|a|

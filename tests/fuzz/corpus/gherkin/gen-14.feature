# language: en 
# top comment
 	@tag @<a> @a	# c
  Business Need:
  
    Background:
  
 	desc ``` # $1
@@x  @tag  @<a>  @x#y #c
	@<a>@tag@é@x#y
  Scenario: 
	desc   
  And 
 * 
Examples: 
||
	|  x  |
      |\x|\
@é @z # @y
    Scenarios:
  desc < <b>

  desc 
　|a|b|c d|
　Rule:
　Scenario Template: 	
  
　""" <<a>> <a>
      * ``` | <b>
 Examples:
	|a|b|
  |<a>|<b>|
 | b |<a>|
    | |<a>|
  Examples:
|a|
  |  x  |
 	|$&|
	Scenario Template:
 	< x$y |
  
desc ``` """
  But 	
Then <b> bar $1 😀
　And \n < 日本
# c
  @t-1  @x#y  @😀 
      Examples: \| | bar ```

    desc bar
# comment
      ||
　|é|\
@a b  @é  @tag
	Examples:
 	desc : <a> 
# comment
    |a|b|c d|
 	|  x  |\\|  x  |
      |\n|a|😀|
@@x  @tag  @é  @@x @z # @y
Example:
　* 
@tag	@@x	@@x
    Scenarios: <<a>>
 a\b <c d> <c d>
  foo 日本 \
  |b|a|
|\x|é|
 	|<a>|<b>|
  |$&|\x|
  @a	@<a>	@tag#c
  Rule: \ <<a>> 
	Scenario Outline:
  

 	desc 😀 <b> <a> bar
　Given é < > x$y
      | |
 	|\n|
||
  And #
	```
``` \ 日本
 @t
 \n < # |
	```
 Given # <b> ```
    """<a>
    """
	Then x$y é 日本
    |😀|
| |
  Scenarios:
  
      desc # > <a> 😀
 	desc bar
  |a|
      |$&|
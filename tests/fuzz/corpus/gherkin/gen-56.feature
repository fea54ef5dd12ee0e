  #  language :  en  
# top comment
  Business Need: | 日本
  
@tag @t-1 @	# c
      Scenario Outline: 
  @tag @a @t-1 #c
      Scenarios: 
# comment
| \ 日本
    Examples: \
# comment
# comment
 	||
| b |
      |c d|
  |é|
    Example: 

    
    Given $1 a\b #
      |a| b |c d
　|<b>|	|\||
	||$&|$&|  # c
　And <c d> | bar <a>
 |c d|	
      |\n|
　|	|
  #c
But 😀 <<a>> <<a>> 😀
|c d| |\x|
  ```<a> 
  ```
    Scenario Template:
# comment
      desc """ >
desc <b> bar a\b foo
  * @ \
　But | """ <b> \
 	When """ x$y @ <
    @@x	@	@tag	@😀 @z # @y	
 	Examples:
|a|a|
　|$&|\x|
    |\|é|

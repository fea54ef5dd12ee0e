 Ability:
  Scenario Outline:
# comment
      @é@a#c
 	Examples: | <<a>> """
  
  x$y <c d> |
　||
 	|c d|
 Scenario Outline: 
 * <c d>
 	"""
 	"""
|  x  | |
　|a|$&|
  When <a> <a> \n \n
　| |\\|
|\x|\x|
	"""x y
\"\"\" and \"\"\"
	  \"\"\"
	#c
	"""
      * @
 |\\|
  When <c d> \
 	@a@😀@é@a
	Scenarios: a\b é foo \
  
 é <a> x$y

　@é  @é  @t-1
 	Examples: \n é

	||
 	|  x  |
      |	|

Business Need:
Given x
  
    @😀  @<a>
  Scenario Outline: 😀 <b> \|
　""" x$y \
    a\b x$y ```
# comment
      Given #
	@x#y @<a> @t-1
Scenarios: 
  
  

      ||
 	|  x  |
 |😀|

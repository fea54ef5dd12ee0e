#language:en  
# top comment
  Feature:
  
 	desc 
 @😀
Example: \
desc 
      Then """ """ <c d>
* 😀
	|<b>|😀|
	|é|\||
      |\x|😀|
  When 
  | b ||\x|
 	|😀|<b>||
      ```x y
\"\"\"
\"\"\" and \"\"\"
      ``` 
Scenarios: x$y \n
|a|b|c d|
 	Scenario: 
      Then | bar a\b
  #c
 But \

 	And \ <a> |
  """<a>
 #c
  @t
 \"\"\"
  #c
""" junk
When é ``` a\b |
    |<b>|
 |\||
 |😀|
@t-1	# c
  Scenarios:
# comment
  |a|a|
|\\|\|
  Rule: a\b | |
      desc """ <<a>> >
　@tag  @😀  @x#y  @t-1
	Rule: """ @ ``` $1

　Business Need: 😀
Background: """ $1 foo
  
desc > ``` > """
　* <b> <<a>>
    |\||
　|<b>|
|\||
Scenario: 
# comment
@a
      Scenarios:
      foo """ <c d>
@😀@t-1@😀	# c
	Example: 
# comment


  Given # foo : """
 @@x @z # @y
Scenario Template: 
	""" <b> x$y

      """ 日本 :
  But : $1 é |
  Then 
  And @ é
 	Scenarios:
　desc | foo < """

  
||
      @@é@tag@x#y
　Rule: \|
# comment
	Background: $1 😀 bar <a>
Scenario Template: <c d> x$y <c d>
　But  
 Then 
  |\|
 And foo
 	``` text/plain 
 	```
 |é|\n|
  |$&| |
      @😀@a@@x
Examples:
	\| \n ```
Scenario: 
  |a|
      |  x  |

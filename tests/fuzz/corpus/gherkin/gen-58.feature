  Feature: \
desc #
  
  Scenario Outline:
* \n
 	But 日本 日本 """
 	```
@t
 	  \"\"\"
\"\"\" and \"\"\"
 	\`\`\`
 	```
Examples:
  | @ ```
  
|a|
 	|\x|
  | |	
@a	@@x	
 Scenario Template: \n a\b ```
  And é \| \
  #c
 Examples: > | \| """
 	||
  |  x  |
      |	|
 	|	|
 	Examples: 


    @<a> @x#y @x#y	# c
      Scenario Template: 
  When <a> <b>
  * 
 | b |	|
 |\x|<b>|
      |$&||
 	"""<a>
  """ junk
	Examples: 
 日本 a\b """
|| 
	|\||
|\x|
  Rule: """
 	😀 bar <a>
@a b@é@t-1	
  Rule: < <a> \n x$y
Background:

      bar @ é
 	desc \ <a> | |
 	And a\b \|
　```json
　@t
  ```
Then < 😀 é #
  Then 
	@tag@😀 
      Scenario Outline:  

    desc ```
  desc \n <c d> 
@a  
Scenario Outline: 
* @ 😀 |
	@
　Examples:
    desc """ \ 日本
 	|a|
      |c d|
    |\x|
 	Scenarios:
# comment
  
  
	|b|a|
 	|	|<a>|
    |  x  |  x  |  
 	|$&|a|
    @x#y@t-1@é 
 Scenario: 
　desc 😀
# comment

 But $1 >
 	|a|
|\n|
　Then """
　Examples:


  
      |b|a|
|<a>|c d|  # c
|\||é|
　|$&|  x  |
  
#language:en  
	@é@é@x#y@😀
    Ability:
	desc 
  Scenario Outline: <a> \| @
  And | \ """
      Given # <b>
      """<a>
"""
 	|\x|c d|
 |	|  x  |
 * <c d> é
  ```x y
``` junk
  😀 \| <b>

    desc 
 	||
|<a>|
	|\n|
	@	@@x
  Examples:
　|a|a|
 |\n|\n|
  And < <<a>>
Scenario Template: : foo é \n
# comment
　desc """ é ``` foo
# comment	
 	@a
　Example: \|
    <a> 日本 \
  
 |\x|\\|

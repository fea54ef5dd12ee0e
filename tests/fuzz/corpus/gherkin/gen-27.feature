      @@x  @a  @a  @<a> 
　Feature: é <b> ``` a\b
# c
  Example:
  desc \
# comment 
  
When 
    Scenarios: 😀 #
	|a|
 	|\n|
  Scenarios:
    |b|a|
| b ||
　|c d|$&|
      |<a>|	|
      @tag
Rule:
  

# comment
Scenario Outline:
  
# comment
	But x$y <b>
      """
"""
|a|<b>|
  |é| |
      Then 
　|a|\x
  ```x y
 <<a>> : <<a>>
  ```  
    Scenarios: 
desc 
  ||
    | |
    @tag
    Scenario Outline: 
  
 desc # # @

 	* $1
 	And #
|\x|
| b |
Given 	
      Scenarios:

　||
	@tag
  Scenario Template:
  
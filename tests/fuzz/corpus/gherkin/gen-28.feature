# language: en
    Feature:
 desc :

　@é@@@x
	Example:
　Then 
 Then 😀 @
  Examples:
  
	Examples: 
 	desc 日本 : é
  desc bar <c d> a\b 日本
  desc 
    |a|b|c d|
      |<b>|\| |
Scenario: :
　* 
      |😀|
    \"\"\"
      \`\`\`
    """
garbage

      Scenario Outline: 

  é < 😀
 	Given 
      * # <a>
      * <a> \n a\b
@@x	@tag
	Scenarios: : : $1
  
      Examples:
 |a|b|c d|
	|	| b |c d|
    |😀|$&|c d|
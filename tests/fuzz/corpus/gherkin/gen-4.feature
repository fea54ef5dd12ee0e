  #  language :  en  
    Ability: 
  
#c
      * a\b é a\b
 	|\n|\n|\x|
	| |\n|a|
  """
<c d>
  Background: :
  """
 Scenario Template: 


  
	And \| < : $1
    When # 日本 | <c d>
 	|c d| 
 Scenario Outline:
Examples: 
||
　|😀| 
    | b |
	
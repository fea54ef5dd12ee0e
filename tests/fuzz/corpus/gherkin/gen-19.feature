      Ability: 
# comment
  
  
# c
 	Scenario Template: 
  
Scenarios:

  
　|a|
　|\x
  Scenarios:

  日本 😀 $1
 	<<a>> # $1
 	|b|a|
 |<a>|\x|
Scenario Template: 
  
  : <b> <<a>>
And 
 	|	|  x  |
|<b>|$&|
      |😀|😀|
  @  @😀  @<a>  @a
　Examples: ``` é |
  
 |a|a|
  |é| |

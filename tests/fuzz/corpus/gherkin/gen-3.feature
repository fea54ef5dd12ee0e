#language:en  
 @x#y	@x#y
    Ability: 
      Background: < """



 @tag  @x#y  @@x  @@x
Scenario: 
 	But """ <<a>> $1 :
      When 😀
      |😀|
  * é
|<a>|	|
      |\||\|
      Given \| \| @ <<a>>
      @  @t-1
  Scenario Template:
And 
And é <c d>
  * \ 日本 \ |
    @@x @😀 @x#y @@x
　Scenarios:
	bar """ ```

  
	|| 
　|😀|
|\n|
 	|😀|
	
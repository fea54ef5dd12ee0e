  #  language :  en  
    @tag@a b
  Ability:

 	desc \| $1
      Scenario Outline:

 Given <a> 😀 @ #
@<a>
　Examples: 
      <a> foo é
 	``` bar <a>
|a|b|
	| b |😀|
 	Scenario Outline:
 And a\b > # foo
And é
  |\n|

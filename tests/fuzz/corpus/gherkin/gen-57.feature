@x#y @@x @x#y @é
    @t-1  @<a>  @x#y  @tag 
  #  language :  en
      Ability:
  Background:
      Then > """ \n
  @@x@<a>
 	Rule: : $1 é
# comment
	Scenarios:
desc > @
desc """ <b> <b> a\b

  #  language :  en
Scenario: 
|b|a|
|é|<a>|

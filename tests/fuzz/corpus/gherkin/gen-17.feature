	Ability: a\b
# comment
# comment
# comment
　@é@@@x@a @z # @y
	Scenario: 
  | """ """
 @é@a#c
  Examples: #
　foo <b> <
  ||
@😀@x#y@é@<a>
 	Examples: <a> """ <
	|a|
 	|$&|
 	|$&|
      |é|

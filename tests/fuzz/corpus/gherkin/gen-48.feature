  Feature: é
　<c d> $1 é
  @@x	@<a>
　Scenario: 
  # : @
# comment

	When   
 	"""<a>
#c
 #c
 | a |
 	\"\"\" and \"\"\"
""" junk
	Given """ \ foo
|a|\||\\|
    |\||😀| b |
      |a|\x|$&|
Examples: bar a\b
	desc foo
  
　|a|
    |\n|
|\n|
	|\n| 

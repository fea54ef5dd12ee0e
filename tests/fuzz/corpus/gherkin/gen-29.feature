 Ability:
　Background: 
# comment

  When bar \| bar
      * ``` #
| |é|
|\n||
    Example: > # <c d>
  
    And 
      |😀|	| b |
  |a|\|	|
　And | 😀
 	Examples: |
  \n x$y """

|b|a|
    |\||	|
　@@x @é @ @t-1
 	Example: 
* # x$y x$y
  #c
    And <<a>> \|
　@x#y 
  Scenarios: 
# comment
  
　|a|a|
|\x|\n|
|$&| |	
	|a|	|
    Rule: : 日本
  
  
  $1 <<a>> $1
Scenario Outline: < <<a>> ```
    desc <b> \| a\b a\b
  @a@a  
  Example: 
  desc \n
  @ x$y >
	<c d> foo foo
 	And <<a>>
      @@x	@a	@a @z # @y
  Scenarios:
      |b|a|
  | |\|
 	| | |
  Scenario:
      \ bar \n
# comment
    And <b> """ a\b
* 
  |$&|\||
	""" text/plain 
	  #c
	  \`\`\`
	"""
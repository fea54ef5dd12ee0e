      Ability: $1 > ``` bar
  
Background:
日本 ``` |
  And $1 <<a>> a\b  
  """json
 @t
é $1
  """ junk
      Rule:
# comment
Scenario Template:
# comment

    Given x$y
  """x y
\"\"\"
    \"\"\"
    \`\`\`
  """
    @é  @x#y  @😀
 Scenarios: <c d>
  |a|b|
  ||$&|
Example: > ```
  
      When """
  ```json
  $1 @
\"\"\"
``` junk
 	Then ``` <b>
 	* foo
    @x#y
 Scenarios:

  
  ||
||
      @😀@<a> @z # @y
Examples:

# comment
# comment
  |a|b|c d|  
 | b |$&|<b>|
  @a b@@😀@a
    Example: \|
# comment
  
    Given $1
  | b |\\|
|😀|  x  |
And """ $1 <<a>> \n

 When a\b
    |  x  |😀|😀|
 	Examples: 
      😀 < \|
      desc <b>
|a|
      @@x @a
    Rule: a\b	

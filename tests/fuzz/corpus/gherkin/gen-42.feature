　Business Need: <c d> <a> <
@	@tag	@tag	@t-1
Scenario Template:
Given | $1 bar
  | b |é|
    * \n """
 @tag @t-1 @a b
  Scenarios: ``` < <b>
	@x#y@tag@<a>
      Scenario:
  Given é 日本
Then | \| : #
When | < : \n
# c
      @t-1 @a @a @x#y
 Examples:
  <b> > <

# comment 
  ||
  |\|
|😀|
|$&|
　Rule:
  desc 
  ``` a\b """

	Background:
  
\n a\b ```
# comment
	@ 
  Scenario Template: 
  desc 
  <a> \ \|
  
  Given <a>
    """ text/plain 
 \"\"\"
    #c
      \`\`\`
  """ junk
　And x$y bar <b> \n
|a|
When 
　Then a\b | <b>
 @<a> @x#y #c
　Scenario: 日本
< <b> <a>
desc \n <c d> | a\b
desc | <<a>> \|
      Given 日本 x$y <
  Given foo \
```
 \"\"\" and \"\"\"
  ```
 But <<a>> \| $1 $1
    But # |
	@@x @x#y
Scenarios:
# comment

  
  |a|a|
    |a|\\|
　|c d|a|
 |	|<b>|
  Rule:
      @a  @<a>  @t-1
　Scenario: 
  
  
  desc <a> <a> $1 \|
Then : < <c d>
  Examples: 日本 $1 é :
 desc <c d> >
　|a|
  @<a>
  Examples: :

　\ # \n
@ @ \|
      Scenario Template:
# comment
  
* 
　Given #
"""x y
\`\`\`
| a |
  \"\"\"
"""
 	And """ <c d> <a>
  """
@t
  #c
\"\"\" and \"\"\"
"""
　And <c d> #
| b |\\|
　| b |\||  
 Scenarios:
  
      |a|b|
| b |<b>|
|\||é|
　@t-1  @😀  @t-1  @a  
  Scenarios: 
　|b|a|
 	||\||
　|\n|\\|
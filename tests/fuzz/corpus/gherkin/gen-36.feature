 @é @x#y 
      Ability: <b> <<a>>
日本 😀 é
  @<a>
	Scenario Template: 
  desc 
 @ é bar
 When ``` < 日本 x$y
 Given ```
  * é é
      Given <b> """ <<a>> """
 Scenarios: 
  |a|
  |a|
  @@x	@tag	@<a>	@é
    Example: \n
　Given <
	@@x  @a b
# c
	@<a>	@t-1 
  Example: """ :
	But 😀 | é
"""
  \"\"\"
  \`\`\`
"""
  |<b>|<a>|
  |a|a|
      Then \| <a> >
  """ text/plain 
\`\`\`
\`\`\`
  \`\`\`
  """ junk
	|a| b |
|\| b |
      @a  @é  @@x  @<a>
    Scenarios:

  
      ||
@<a>@😀
Rule:
<<a>> <<a>> @
 desc # x$y
    @é	# c
Scenario Template: a\b <b>
 	desc foo
 	When """ : $1
      ||  x  |
  Examples:
      | b |\\
	@tag  @t-1  @é  @😀 
      Scenario Outline:
 Then 
 @tag @é @a @a
  Examples:
  
  
 	|b|a|
@tag
  @t-1  @<a>
      Example: <a> > é
	Examples: x$y <a>
  
<b> <c d> \n﻿
      Scenarios: 
  
# comment
foo > ```
    ||
  |\x|  # c﻿
 |\||
      |<a>|

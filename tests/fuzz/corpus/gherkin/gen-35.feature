# top comment
@ @z # @y
　Business Need: 

      Example: 
　But @ a\b ``` x$y
　* <<a>> <<a>>

@😀	@
 	Scenario Outline:
　Then ``` \|
  | |\n|
 	|  x  |😀|
　```
 | a |
　  | a |
　| a |
"""x
　``` junk
      But 
　When é # @ :
　"""
　  #c
\`\`\`
　  ```x
　  \`\`\`
  """
  And <a> <a> 😀
　Rule: foo
  
 	desc x$y $1 ```
 Background:

  Scenario:


 * |
```
```
  Given \| 😀
```<a>
@t
\"\"\" and \"\"\"  
  \"\"\"
\"\"\" and \"\"\"
```
  #c
	Examples: 
      |b|a|
|\x| b |
	|$&|$&|
  |\x|\x|
      Examples: | 日本 é """
 desc : <b>
 	||
      @	@	@tag#c
  Scenario Outline: 
 	desc 
# comment
    But : | 😀
  @😀
Examples:
# comment
　|a|
      |😀|  # c
|\n|

# language: em 
# top comment
  📚:
bar 😀 <a>
	desc 
# comment
　💤: \| ``` @
    😔
      """
```x
#c
"""
      🙏# 😀
  @@x
 	📖: 
  
  🎬\n <b> é
  🙏x$y
```
 \"\"\"
@t
| a |
 \"\"\"
  ```
	😐
 @@x	@	@x#y
      📓:
    @<a>@<a>
📓: <a> @ 日本
 |b|a|
　|\||
      |c d|a|
  🥒: 
  
	📓: 
|a|a|
| |😀|  
 |  x  | b |
  |c d|$&|	
  @  @tag  @<a>  @t-1
📓: bar
  
# comment
# comment
  |a|
Rule:
　""" a\b <<a>>
    📖:
  desc 
 	desc 

	😔# bar
  |$&|c d|<b>| 
    |\n|\||	|
  ||a|  x  |
 	""" text/plain 
  """
 📓:
  |a|a|
  |c d|<b>|
|a|😀|
	| b |\n|
  @
  Rule: \

  💤:
  desc <c d> ``` \ a\b

# comment
  🙏$1
  @tag
 	🥒:
  
# comment
 😐<a> <a> <a> :
 |<b>|\|
      😐<b> |
 ```x y
 \`\`\`
 a\b : """ foo
```
 |  x  |  x  |
  |\n|c d|
😂\| : \
  ```<a>
  """x
\"\"\" and \"\"\"
    #c
    """x
  ```
 	🙏>
  @tag@	
📓: 日本 >
 desc | é |
  
  desc 😀 <<a>> @ ```
    📕: 
😂\| \n <b> |

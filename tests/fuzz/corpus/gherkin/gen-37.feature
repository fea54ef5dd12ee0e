	📚:
💤: bar 😀
      日本 \n 😀
  <a> \n $1
　desc <<a>> : <<a>>
😂$1 \n bar $1 
 	🙏
    |é|<a>|\|  # c
 	|	|<b>|😀|
 	"""<a>
 	  \"\"\"
 	```x
\"\"\" and \"\"\"
 	"""
  🎬foo
      """json
""" x$y
@t
 | a |
  """
    @😀  @  @@x	# c
  📕:
 	😐\n : """
	|  x  |	|c d|
    |<a>|\||a|
　|	|\||\
    ```
      \"\"\"
  ```
🙏
😐
  @@t-1
	📓: 😀 a\b <a>
# comment
  
# comment
|a|
      |\\|
|c d|
      |\||
      @a  @<a>  @x#y  @tag 

 	📖: 
	🙏
 @t-1@@x
📓:
# comment

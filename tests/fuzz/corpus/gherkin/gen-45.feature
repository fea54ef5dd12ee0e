  #  language :  em 
　📚: 
 	: > ```
      desc x$y """
  日本 ``` @
 	💤: # é
      😐foo
  🎬\ <c d>
  """
\"\"\"
 \"\"\" and \"\"\"
  😀 <a>
  """ junk
* 
  """<a>
"""
　|a|😀|
  | | |
　@ @tag @tag#c
# c
      🥒:
desc 日本 @ <a>
      🎬é :
 	🙏$1 \| """ \|
  📖:

	a\b > >

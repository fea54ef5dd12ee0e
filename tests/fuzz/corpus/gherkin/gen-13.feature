  #  language :  em 
  📚: <<a>>
# comment
# comment
      Rule:
    💤:
# comment
# comment
  
      * <a>
"""<a>
\"\"\" and \"\"\"
""" junk
  |  x  |  x  |
    |  x  |<a>|\
# c
	Rule:
😔
    | b |😀
	|é|\n|
　|\\|\||
	Rule:


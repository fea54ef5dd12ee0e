Business Need:
  Scenario: 
  

      @x#y	@tag @z # @y
# c
      Example: 
And : \n 日本 😀﻿
　* > 😀
* <
"""<a>
  \`\`\`
 \"\"\" and \"\"\"
| a |
""" junk

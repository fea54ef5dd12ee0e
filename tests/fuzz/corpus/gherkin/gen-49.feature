  Business Need:
    Background: """ <b>
	< é #

    desc a\b
    And 日本 <<a>>
    """
"""
    |<a>|<a>|
      || b |
　* \| 😀
    * 😀 <c d> # é

    Scenario: 

  
# comment
      When   
　Examples:
# comment
      bar <c d> <b>

    ||
Scenario Template:
 desc x$y $1
  
	Then 
 	"""
""" junk
 	And @ \	
	* 😀 é
　"""
@t
\`\`\`
"""
  But """ é | ```
	Example:
# comment
# comment
  @
　Business Need:  
# comment

bar \ <<a>>
	Scenario Outline:
Then <<a>> \n foo
  And 日本 < 日本
      When foo \
    """
\`\`\`
\"\"\" and \"\"\"
  """
 When ``` $1 \n
# c
      Scenario:
# comment
	$1 @ >
  When 
　```x y
| a |
  ```
But foo foo é
	When 
      """
      | a |
 | a |
 ```x
  """
	|<b>|<a>|
　|<b>|$&|
 * \n 日本
	
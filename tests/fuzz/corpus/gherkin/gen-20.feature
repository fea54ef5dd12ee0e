@x#y  @
    Feature:
# comment
# comment
# comment
  Scenario Template: 
And | """ 😀
 """x y
 \`\`\`
 \"\"\" and \"\"\"
""" junk
　|<a>|<b>|
	|$&|\||
 But \ <<a>>
    * ``` # 😀 >
 	* x$y 😀 😀
    @t-1	@<a>	@t-1#c
      Scenarios:
  日本 < <<a>>

|b|a|
    |é|<b>|
	|é|\n|
 	|	|a|
@@x @ @a
Scenario Outline: x$y > 日本
  Scenario Template: \n
 \| """ a\b

	| \n <b>
    And <

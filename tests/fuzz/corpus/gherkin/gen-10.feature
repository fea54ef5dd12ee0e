    Ability:
  Scenario Outline:
　Example: 
　But \ \| <b> ```
      ```x y
\n foo
 \"\"\"
"""x
\`\`\`
      ``` junk
  And <<a>>
@t-1	@😀	
# c
 	Scenario Template: 
When @
  ```x y
  ``` 
  When """ 😀 """ :
	```<a>
	  | a |
	```
 When > \ \|
      |\||  x  |c d| 
|c d|\||<a>|
    * 日本 é
@é@x#y	# c
Examples:
	desc # <c d> @

  |b|a|



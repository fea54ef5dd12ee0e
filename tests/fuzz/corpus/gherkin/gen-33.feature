 Business Need: # 日本
\ bar $1
  
      Scenario Outline: 
  But <<a>> \n <b>
 |<a>||
	And $1
　|	|\|
 |<b>|
    |😀|
      And <b> <b> 日本 <a>
    ```
 """x 
      \"\"\" and \"\"\"
```
@é	@é	@a @z # @y
Examples:

# comment
　|a|
  |\||

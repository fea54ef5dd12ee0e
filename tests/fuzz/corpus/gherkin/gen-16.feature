    @x#y	# c
  Feature:
 @a
 	Scenario Template: 
      | 😀 bar
  desc <a> $1
　But 
``` text/plain 
```
Scenarios: <
  |a|b|
	||$&|
  |	|\n|
    @t-1@tag
  Scenario Template:
# comment
 
  <c d> # <b>
But # <b> """
 	```
 	  """x
  ```
      |c d|c d| 
 |\\|  x  |
 	Scenarios: \| < < @
 	|a|
  @	@é	@é	@a b
    Examples:
desc """ : 😀
 	|a|b|
|é|c d|
  Rule: < x$y é >
  
  
日本 < <<a>>
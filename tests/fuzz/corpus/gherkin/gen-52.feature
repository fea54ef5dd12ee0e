　Feature:
# comment
desc <c d> \n
  
    Background:
    \n 日本 <b>


Scenario Outline: <a> @
  
 	desc \n
  desc \
      But foo foo	
  #c
      * <b>
  ```x y
  ``` junk
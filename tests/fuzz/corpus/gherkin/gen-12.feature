　@t-1	# c  
  Business Need: 😀 a\b @ # 

  Background:
      And < $1 <c d> \|
      Given 😀 \| <<a>>

	Rule: é @

    Background:

But <<a>> \ ```
  """<a>
#c
  """
  And """ <b>
 *  
  """ text/plain 
    ```x
  """ junk
# c

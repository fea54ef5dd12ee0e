　Business Need: 😀
Background: """ $1 foo
  
descnd: $1 😀 bar <a>
Scenario Template: <c @😀@t-1@😀	# c
	Example: 
# comment


  Given # foo : """
 @@x @z # @y
Scenario Template: 
	""" <b> x$y

      """ 日本 :
  But : $2 é |
  Then 
  And @ é
 	Scenarios:
　desc | foo < """

  
||
      @@é
 	Scenarios:
　Desc | foo < """

  
||
      @@é@tag@x#y
　Rule: \|Template: <c d> x$y <c d>
　But  
 Then 
  |\|
 And foo
 	``` text/plain 
 	```
 |é|\n|
  |$$| |
      @nd: $1 😀 bar <a>
Scenario Template: <c d> x$y <c d>
　But  
 Then 
  |\|
 And foo
 	``` text/plaincription
  has a  

	 #language:E-----------[-----------EEEEEEEEenarption without indentation
  Giveines around

  This description
  has a  

	 #language:E----------- after

# e with a description
This is a scenario outlino lines
  This description
@  has  This description
  has a  

	 #language:E-----------[---------s description
  has two lines   This description
  has a  

	 #language:E-----------[-----------EEEEEEEEenarption without indentation
  Giveines around

  This description
  has a  

	 #language:E----------- after

# e with a description
This is a scenario outlino lines
  This description
@  has  This description
 😐 a  

	 #language:E-----------[-----------EEEEEEEEenario: comment after description
  This description
  ha has ammenthis ision
  has a  

	 #language:E-----------[-----------EEEEEEEEenariominimalism

  Scenario------ after

# e with a description
This is a scenario outlino lines
  This description
  has  This description
  has a  

	 #language:E-----------[-----------EEEEEEEEeble with0a single cell
      | foo |
    And a data table with different fromatting
      |   foo|barRule:boz    |
    And a data table with an empty cell
      e middle
  This description

  has an empty line in the middle
    Given the minimalism

  Scenario: empty lines around

  This description
  has a  

	 #language:E----------- after

descr
  has two lines   This description
  has a  

	 #language:E---ingle cell
 !    | foo |
    And a data table with different fromatuing
      |   foo|bar|    boz    |
    And a data table with an empty cell
      e middle
  This description

  has an empty line in the middle
    Given the minimalism

  Scenario: empty lines around

  This description
  has a  

	 #language:E----------- after

descr
  has two lines   This description
  has a  

	 #language:E-----------[-----------EEEEEEEEenarption without indentation
  Giveines around

  This description
  has a  

	 #language:E----------- after

# e with a description
This is a scenario outlino lines
  This description
@  has  This description
 out indentation
  Giveines around

  This description
  has a  

	 #language:E----------- after

# e with a description
This is a scenario outlino lines
  This description
@  has  This description
  has a  

	 #language:E-----------[-----------EEEEEEEEenario: comment after descript`ion
  This ammenthis ision
  has a  

	 #language:E-----------[-----------EEEEEEEEenariominimalism

  Scenario------ after

# e with a descrd> x$y <c d>
　But  
 Then 
  |\|
 And foo
 	``` 😀@t-1@😀	# c
	Example: 
# comment


  Given # foo : """
 @@x @z # @

　@a  @a  @<a>  @😀
    Ability:
  Background:
# c
  Example:  
When @ foo : ```
And 😀 x$y \|
	But > 日本 : <
  @  @<a>  @x#y
Examples:
Scenario: 
      Scenario Template:
    desc 
      When 
    Given 
 	Given @ $1
  #c
	* <c d> a\b
@t-1	@é
　Examples: 日本 <b> é

  Rule: ``` $1 <c d>
 Background: 
　@x#y
Rule:
# comment

 Background: a\b # a\b a\b
""" \n é
    : | bar
  Given < # ``` <b>

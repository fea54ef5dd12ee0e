  #  language :  fr  
Fonctionnalité:
 	Contexte:
  Quand # \ :
    """x y
 
    | a |
  """
      Et qu'""" <
　Et 日本 é ```
	|a|\n|\\|x
Scénario:
    * <<a>>
|a|\||
	|\n|\||
|<a>|\||
  @a @@x
  Exemple: 
      ``` """ a\b
 
Soit <b> <b> \
　Exemples:
# comment

|a|a|
|é|	|
|  x  |<a>|  
      @<a>@tag
Exemples: """ 
desc 

|a|b|
 |<a>|\||
      |  x  |$&|
 	@x#y@@a@a
  Plan du scénario: | | <a> """
　Mais bar >
Mais é bar
    |$&|\\| 
      Alors <c d> 😀
 | b |😀|
      * 
""" text/plain 
  @t
  """
      |\x|<a>|
	|  x  |	|
  #c
 	@tag
 	Exemples: <a> $1 """ \n
|a|b|
 |<b>| |	

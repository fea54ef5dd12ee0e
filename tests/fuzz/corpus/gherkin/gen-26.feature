#language:em  
 Fonctionnalité:
 	Contexte:
  
Plan du scénario: : @ \| <c d> 
    desc <<a>> 日本 é \

	Alors foo < <c d>
	|  x  |  x  |c d|
 |a|é|c d|
      | |\|é|
 	Etant donné <
    """
#c
      @t
    | a |
  """ junk
    @a	@	@t-1	
Exemples: 
  ||
　|é|
 	Exemples: > @
	""" x$y <a>
# comment
      |a|b|
    |\n|a|
    |<b>|\x|
	@é  @@x @z # @y
 	Exemple:
      * <a> """
 	| b | | |
    |<a>|c d|<a>|
 	|a|a|$&|
    Quand a\b x$y
Etant donné a\b @ a\b a\b
　Mais x$y \| a\b

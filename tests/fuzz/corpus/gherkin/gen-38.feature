# language: fr
Fonctionnalité: > #
  Règle: > | <a> |	
# comment
desc a\b # @ <a>
	desc # \n # #
      Contexte:
    """ <a> \n
  
	desc @ | \
Et qu'>
  Alors |
 	``` text/plain 

``` junk
Et qu'\n """ x$y
"""x y
\`\`\`
"""
|😀|😀|
    |  x  |a|	
	Plan du scénario: 
      desc $1 \ a\b
  * 
  |<b>|\\|\n|
 	|<b>|<b>||
 |\||😀|<b>| 
Et | # \n
Mais $1 """
  * \n $1
Exemples: 😀 😀 ``` <b>
 	|a|
  |\\|
|$&|
  |<b>|
  @@x	# c
  Scénario: 	
Mais # """ a\b
# c
Etant donné foo <a> >
 	|<b>|\||c d|

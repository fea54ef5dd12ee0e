  #  language :  fr 
      @😀	@	@tag	@tag #c
 	Fonctionnalité:
desc > <c d>
 	@<a> @x#y @t-1 @<a>
	Scénario:
	Exemples:
　|a|a|
  |é|	|
      | | |
 |  x  |<b>|
  @😀	@t-1	@tag
Exemple: 
    Alors 
      Et qu'\| # bar foo
　|😀| |
	Soit >
      Alors : 日本 $1 日本
    Exemples: <
 |a|b|c d|
|\\||\n|
　|<a>|  x  |	|
  Exemples: 日本 \n 
 	a\b x$y x$y
　|b|a|
  |<b>|$&|
　|	|😀|
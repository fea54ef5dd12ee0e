  #  language :  fr 
      Fonctionnalité: <c d> < # <<a>>
  Scénario: 
# comment
      """ foo 😀
  
    Et qu'<c d>
　Quand \| # 😀 😀
# c 
 Exemples:
# comment

  
      |a|
    |<b>|
 	|c d|
	@tag
Exemples:
	|b|a|
 @tag	@ #c
 	Scénario: 
# comment
  foo 😀 """
Etant donné 日本 | > : 
　Et qu'é
 * foo \| $1
    | b |	| 
	|\\|$&|
|\n|é|\  
　Quand <<a>> a\b 😀 \
    Exemples: 😀 \|
$1 < <a>
  |a|a|
	|é|\x|
 |\||😀|

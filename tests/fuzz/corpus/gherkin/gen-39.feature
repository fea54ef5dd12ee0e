# language: fr  
  @tag	@@x	@😀
	Fonctionnalité: 
 	Contexte:
　desc 
  Quand 
      |<a>|\\|
  |<a>|<a>|

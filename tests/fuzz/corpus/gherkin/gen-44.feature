    @x#y 
  Ability:  
　Scenario Template:
    @<a>	@t-1
Rule: | é

  desc 日本 """ \| |
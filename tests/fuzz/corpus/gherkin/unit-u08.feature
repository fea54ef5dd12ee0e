Feature: f
  first
  # not part of it

  second  
   

  Scenario: s

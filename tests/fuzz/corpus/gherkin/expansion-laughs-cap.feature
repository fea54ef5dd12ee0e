@resource:cpu=0.1,memory=128,storage=10,story_points=1
Feature: laughs
  Scenario Outline: o
    Given <c0>
    When w
    Then t
    Examples:
      | c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15 | c16 | c17 | c18 | c19 |
      | <c1><c1><c1><c1> | <c2><c2><c2><c2> | <c3><c3><c3><c3> | <c4><c4><c4><c4> | <c5><c5><c5><c5> | <c6><c6><c6><c6> | <c7><c7><c7><c7> | <c8><c8><c8><c8> | <c9><c9><c9><c9> | <c10><c10><c10><c10> | <c11><c11><c11><c11> | <c12><c12><c12><c12> | <c13><c13><c13><c13> | <c14><c14><c14><c14> | <c15><c15><c15><c15> | <c16><c16><c16><c16> | <c17><c17><c17><c17> | <c18><c18><c18><c18> | <c19><c19><c19><c19> | lol |

Feature: f
  Scenario: s
    Given t
      """  text/plain  
      line one
        indented
    less indented

      \"\"\" and \"\"\"
      """
    And u
      ```
      \`\`\`
      """
      ```

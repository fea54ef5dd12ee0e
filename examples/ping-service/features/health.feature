@resource:cpu=0.1,memory=128,storage=10,story_points=1
Feature: Health endpoint
  The service tells its monitors whether it can serve requests.

  Background:
    Given the service is running

  Scenario: A healthy service says so
    When I call GET /healthz
    Then I receive a 200 OK
    And the response contains "status": "healthy"

  @resource:cpu=0.2,memory=256,storage=10,story_points=2
  Scenario Outline: Unknown paths are not found
    When I call GET <path>
    Then I receive a <status>

    Examples:
      | path       | status        |
      | /nope      | 404 Not Found |
      | /v1/pingx  | 404 Not Found |

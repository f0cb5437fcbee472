"""schemathesis against the API's own OpenAPI document, in the normal test run: a bounded,
derandomized number of examples per operation, no server error (5xx), and every answer
conforming to the schema its operation documents."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from consult.accounts import tokens
from consult.accounts.roles import Role
from consult.collection import invitations
from consult.collection.synthetic import add_fake_responses
from tests import factories

SLUG = "small"


@pytest.fixture
def api_headers(session):
    """A write token of the organizer of a survey with responses and an invitation."""
    survey = factories.small(session, slug=SLUG, anonymous=False)
    for _done in add_fake_responses(session, survey, 30, seed=2):
        pass
    invitations.create_invitations(session, survey, [invitations.Invitee()])
    organizer = factories.user(session, Role.organizer, survey=survey)
    _token, secret = tokens.create_token(session, organizer, "schemathesis", True, None)
    return {"Authorization": f"Bearer {secret}"}


def _operations(app):
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in loaded.get_all_operations()]


def test_the_api_keeps_to_its_openapi_document(app, api_headers):
    operations = _operations(app)
    assert len(operations) >= 10
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = SLUG  # the survey the token reaches: real data
            # identity: the WSGI client does not undo the Brotli that a real client asks for
            case.call_and_validate(
                headers={**api_headers, "Accept-Encoding": "identity"},
                checks=[not_a_server_error, response_schema_conformance],
            )

        try:
            check()
        except Exception as error:  # noqa: BLE001 - every operation's failure is reported
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)

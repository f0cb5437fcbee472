"""The device check of identified surveys: a browser's cookie, kept only as a keyed hash, finds
several responses sent from one browser; anonymous surveys never set, read or keep it."""

from __future__ import annotations

from sqlalchemy import select

from consult.collection.devices import COOKIE
from consult.collection.models import Response
from consult.review import flags
from consult.review.models import Flag, ResponseFlag
from tests import factories
from tests.conftest import form_tokens


def _send(client, slug: str) -> None:
    data = {**form_tokens(client, f"/s/{slug}"), **factories.valid_small_answers()}
    assert client.post(f"/s/{slug}", data=data).status_code == 302


def _stored(session, survey) -> list[str | None]:
    rows = select(Response.device_hash).where(Response.survey_id == survey.id)
    return list(session.scalars(rows.order_by(Response.id)))


def test_two_responses_from_one_browser_are_flagged(app, client, session):
    survey = factories.small(session, anonymous=False)
    session.commit()
    _send(client, "small")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    _send(client, "small")
    other = app.test_client()
    _send(other, "small")
    first, second, third = _stored(session, survey)
    assert first == second and first is not None and third not in (None, first)
    assert cookie.value not in (first, third) and len(first) == 64  # a keyed hash, not the cookie

    found = flags.scan(session, survey)
    assert found[Flag.device] == 2
    details = session.scalars(select(ResponseFlag.detail).where(ResponseFlag.kind == "same device"))
    assert list(details) == ["one of 2 responses sent from the same browser"] * 2


def test_an_anonymous_survey_sets_no_cookie_and_keeps_no_device(client, session):
    survey = factories.small(session)
    session.commit()
    assert survey.anonymous
    _send(client, "small")
    assert client.get_cookie(COOKIE) is None
    client.set_cookie(COOKIE, "A" * 22)  # even a browser that brings one from elsewhere
    _send(client, "small")
    assert _stored(session, survey) == [None, None]
    assert flags.scan(session, survey)[Flag.device] == 0


def test_the_hash_differs_from_survey_to_survey(client, session):
    one = factories.small(session, anonymous=False)
    two = factories.small(session, slug="small-two", anonymous=False)
    session.commit()
    _send(client, "small")
    _send(client, "small-two")
    assert _stored(session, one)[0] != _stored(session, two)[0]

"""Responses through the API: pages (each response once), filters, labels or codes, the raw
export's columns and nothing more; POST with the web form's checks, once per client key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from consult.accounts.roles import Role
from consult.collection.models import Channel, Response
from consult.collection.synthetic import add_fake_responses
from consult.exports.raw import raw_table
from consult.surveys.models import SurveyState
from tests import factories
from tests.api.conftest import bearer

VALID = {
    "group": "media", "colour": "green", "tools/pen": 1, "tools/radio": 1, "agree": 4,
    "rank/alpha": 2, "rank/beta": 1, "rank/gamma": 3, "years": 12, "comment": "More.",
}  # fmt: skip
URL = "/api/v1/surveys/small/responses"


def load_synthetic(session, survey, count, seed):
    for _done in add_fake_responses(session, survey, count, seed=seed):
        pass


def _organizer(session, anonymous=True, write=False):
    survey = factories.small(session, anonymous=anonymous)
    organizer = factories.user(session, Role.organizer, survey=survey)
    return survey, bearer(session, organizer, write=write)


def _all_pages(client, headers, query=""):
    seen, cursor, pages = [], None, 0
    while True:
        url = f"{URL}?limit=7{query}" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=headers)
        assert page.status_code == 200, page.json
        seen += page.json["responses"]
        pages += 1
        cursor = page.json["next_cursor"]
        if cursor is None:
            return seen, pages


def test_cursor_paging_returns_each_response_exactly_once(client, session):
    for anonymous in (True, False):
        survey, headers = _organizer(session, anonymous=anonymous)
        load_synthetic(session, survey, 45, seed=3)
        seen, pages = _all_pages(client, headers)
        ids = [row["response_id"] for row in seen]
        assert len(ids) == 45 and len(set(ids)) == 45 and pages == 7
        stored = set(session.scalars(select(Response.public_id).where(
            Response.survey_id == survey.id)))  # fmt: skip
        assert set(ids) == stored
        if anonymous:  # random order (by public id), the day only: as the raw export
            assert ids == sorted(ids)
            assert all(len(row["submitted_at"]) == 10 for row in seen)
        session.delete(survey)
        session.flush()


def test_a_page_holds_the_raw_exports_rows_in_labels_or_codes(client, session):
    survey, headers = _organizer(session)
    load_synthetic(session, survey, 12, seed=5)
    for labels, codes in (("true", False), ("false", True)):
        page = client.get(f"{URL}?limit=1000&labels={labels}", headers=headers).json
        table = raw_table(session, survey, "en", codes=codes)
        assert page["columns"] == table.headers
        exported = {str(row[0]): row for row in table.rows}
        for item in page["responses"]:
            row = exported[item["response_id"]]
            for header, cell in zip(table.headers, row, strict=True):
                value = cell.isoformat() if hasattr(cell, "isoformat") else cell
                assert item[header] == value, header
    # Nothing else: no internal id, no time of day, no invitation, no nonce.
    assert set(page["responses"][0]) == set(table.headers)


def test_filters_by_day_and_channel(client, session):
    survey, headers = _organizer(session, anonymous=False)
    factories.answered(session, survey, {"group": "media", "colour": "red", "agree": "3",
                       "rank": "alpha beta gamma"}, channel=Channel.paper)  # fmt: skip
    factories.answered(session, survey, {"group": "media", "colour": "red", "agree": "2",
                       "rank": "alpha beta gamma"})  # fmt: skip
    session.execute(Response.__table__.update().where(Response.channel == "paper")
                    .values(submitted_at=datetime(2026, 1, 5, 10, 30)))  # fmt: skip
    paper = client.get(f"{URL}?channel=paper", headers=headers).json
    assert [r["channel"] for r in paper["responses"]] == ["paper"] and paper["count"] == 1
    day = client.get(f"{URL}?from=2026-01-05&to=2026-01-05", headers=headers).json
    assert day["count"] == 1 and day["responses"][0]["submitted_at"] == "2026-01-05T10:30:00"
    assert client.get(f"{URL}?from=2026-01-06&to=2026-01-07", headers=headers).json["count"] == 0
    bad = client.get(f"{URL}?channel=fax&from=yesterday", headers=headers)
    assert bad.status_code == 422
    assert set(bad.json["errors"]["query"]) == {"channel", "from"}
    forged = client.get(f"{URL}?cursor=abc.def", headers=headers)
    assert forged.status_code == 422 and "cursor" in forged.json["errors"]["query"]


def test_post_validation_errors_give_422_with_field_messages(client, session):
    survey, headers = _organizer(session, write=True)
    wrong = {**VALID, "agree": 9, "years": 200, "colour": "purple", "nope": "x"}
    response = client.post(URL, headers=headers, json={"answers": wrong})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["answers"] == {
        "nope": ["not a column of this survey's export"]}  # fmt: skip
    del wrong["nope"]
    response = client.post(URL, headers=headers, json={"answers": wrong})
    assert response.status_code == 422
    fields = response.json["errors"]["json"]["answers"]
    assert set(fields) == {"agree", "years", "colour"}, fields
    assert all(messages and all(isinstance(m, str) for m in messages)
               for messages in fields.values())  # fmt: skip
    missing = client.post(URL, headers=headers, json={"answers": {"group": "media"}})
    assert missing.status_code == 422
    assert missing.json["errors"]["json"]["answers"]["agree"] == ["Please answer this question."]
    lang = client.post(URL, headers=headers, json={"answers": VALID, "language": "fr"})
    assert lang.status_code == 422 and "language" in lang.json["errors"]["json"]
    no_body = client.post(URL, headers=headers, json={"answer": {}})
    assert no_body.status_code == 422 and "answers" in no_body.json["errors"]["json"]
    assert session.scalar(select(func.count(Response.id))) == 0  # nothing half-saved


def test_a_posted_response_is_stored_as_a_web_answer_would_be(client, session):
    survey, headers = _organizer(session, write=True)
    response = client.post(URL, headers=headers, json={"answers": VALID, "language": "ur"})
    assert response.status_code == 201 and response.json["created"] is True
    stored = session.scalar(select(Response).where(Response.survey_id == survey.id))
    assert stored.public_id == response.json["response_id"]
    assert stored.channel == "api" and stored.language == "ur" and stored.region == "green"
    assert stored.group.code == "media"
    assert stored.submitted_at.time() == datetime.min.time()  # anonymous: the day only
    answers = {a.question_id: a.value for a in stored.answers}
    by_code = {q.code: q.id for q in survey.questions}
    assert (
        answers[by_code["tools"]] == "pen radio" and answers[by_code["rank"]] == "beta alpha gamma"
    )
    row = client.get(f"{URL}?labels=false", headers=headers).json["responses"][0]
    assert {k: row[k] for k in VALID} == {**VALID, "years": 12}  # what was sent comes back


def test_idempotent_post_creates_one_response(client, session):
    survey, headers = _organizer(session, write=True)
    keyed = {**headers, "Idempotency-Key": "sms-8812"}
    first = client.post(URL, headers=keyed, json={"answers": VALID})
    again = client.post(URL, headers=keyed, json={"answers": VALID})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == {"response_id": first.json["response_id"], "created": False}
    by_field = client.post(URL, headers=headers, json={"answers": VALID, "client_key": "k-1"})
    by_field_again = client.post(URL, headers=headers,
                                 json={"answers": VALID, "client_key": "k-1"})  # fmt: skip
    assert by_field.status_code == 201 and by_field_again.status_code == 200
    plain = client.post(URL, headers=headers, json={"answers": VALID})
    assert plain.status_code == 201
    count = session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))
    assert count == 3


def test_a_closed_survey_takes_no_response(client, session):
    survey, headers = _organizer(session, write=True)
    survey.settings = {**survey.settings, "closes_on": "2020-01-01"}  # past its closing day
    session.flush()
    assert client.post(URL, headers=headers, json={"answers": VALID}).status_code == 409
    survey.state = SurveyState.closed
    session.flush()
    response = client.post(URL, headers=headers, json={"answers": VALID})
    assert response.status_code == 409


def test_an_interview_needs_consent_and_names_its_interviewer(client, session):
    survey = factories.small(session)
    enumerator = factories.user(session, Role.enumerator, survey=survey)
    headers = bearer(session, enumerator, write=True)
    body = {"answers": VALID, "channel": "enumerator"}
    refused = client.post(URL, headers=headers, json=body)
    assert refused.status_code == 422 and "consent_read" in refused.json["errors"]["json"]
    stored = client.post(URL, headers=headers, json={**body, "consent_read": True})
    assert stored.status_code == 201
    response = session.scalar(select(Response).where(Response.survey_id == survey.id))
    assert response.channel == "enumerator" and response.enumerator_id == enumerator.id
    # An interviewer sends responses and reads the questions; the raw rows, the figures and
    # the XLSForm stay the organizers' (and viewers' for figures), as on the web.
    assert client.get(URL, headers=headers).status_code == 403
    base = "/api/v1/surveys/small"
    assert client.get(base, headers=headers).status_code == 200
    assert client.get(f"{base}/definition", headers=headers).status_code == 200
    for path in ("/summary", "/form.xlsx", "/invitations"):
        assert client.get(base + path, headers=headers).status_code == 403, path


def test_labels_come_in_the_language_asked(client, session):
    survey, headers = _organizer(session)
    load_synthetic(session, survey, 5, seed=8)
    page = client.get(f"{URL}?lang=ur", headers=headers).json
    table = raw_table(session, survey, "ur")
    assert {r["group"] for r in page["responses"]} == {str(row[2]) for row in table.rows}
    assert {r["group"] for r in page["responses"]} <= {"میڈیا", "تعلیمی و تحقیقی حلقے"}


def test_a_full_groups_quota_refuses_more(client, session):
    survey, headers = _organizer(session, write=True)
    media = next(g for g in survey.groups if g.code == "media")
    media.quota = 1
    session.flush()
    assert client.post(URL, headers=headers, json={"answers": VALID}).status_code == 201
    refused = client.post(URL, headers=headers, json={"answers": VALID})
    assert refused.status_code == 409 and "quota" in refused.json["message"]

"""Implementation tracking: organizers edit it through the page, bad input is refused beside
its field with what was typed kept and nothing saved, every change is audited, and a KPI is
met when its latest value reaches the target in the right direction."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from consult.accounts.audit import AuditEvent
from consult.accounts.roles import Role
from consult.analysis import recount, summarising
from consult.problems import Refusal
from consult.tracking import services
from consult.tracking.models import Delivery, Evidence, Kpi, KpiActual
from tests import factories, known_answers
from tests.conftest import form_tokens
from tests.shell.test_admin import download

SLUG = "nisp-consultation"
PAGE = f"/admin/surveys/{SLUG}/implementation"


@pytest.fixture
def nisp(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    return survey


@pytest.fixture
def organizer(client, session, nisp):
    account = factories.user(session, Role.organizer, survey=nisp)
    factories.login(client, account)
    return account


def _post(client, where, /, **fields):
    return client.post(where, data={**form_tokens(client, PAGE), **fields})


def _audited(session, survey):
    stmt = select(AuditEvent).where(
        AuditEvent.survey_id == survey.id, AuditEvent.action == "implementation changed"
    )
    return list(session.scalars(stmt.order_by(AuditEvent.id)))


def test_an_organizer_edits_delivery_kpis_and_evidence(client, session, nisp, organizer):
    response = _post(
        client, f"{PAGE}/coordination/delivery",
        owner="NACTA", status="in_progress", progress="40",
    )  # fmt: skip
    assert response.status_code == 302
    rec = next(r for r in nisp.recommendations if r.code == "coordination")
    delivery = session.get(Delivery, rec.id)
    assert (delivery.owner, delivery.status, delivery.progress) == ("NACTA", "in_progress", 40)

    _post(client, f"{PAGE}/coordination/kpi", name="Joint operations", unit="per year",
          baseline="10", target="25")  # fmt: skip
    kpi = session.scalar(select(Kpi).where(Kpi.recommendation_id == rec.id))
    _post(client, f"{PAGE}/actual", kpi=str(kpi.id), measured_on="2026-06-30", value="18")
    _post(client, f"{PAGE}/actual", kpi=str(kpi.id), measured_on="2026-12-01", value="26")
    _post(client, f"{PAGE}/coordination/evidence", url="https://nacta.gov.pk/report-2026",
          label="Annual report 2026")  # fmt: skip
    session.expire_all()
    assert [a.value for a in session.get(Kpi, kpi.id).actuals] == [18, 26]
    assert session.get(Kpi, kpi.id).met

    page = client.get(PAGE).get_data(as_text=True)
    assert "NACTA" in page and "Joint operations" in page
    assert 'href="https://nacta.gov.pk/report-2026"' in page
    results = client.get(f"/admin/surveys/{SLUG}/results").get_data(as_text=True)
    assert 'id="delivery"' in results and "1 / 1" in results and "40%" in results

    changes = [e.detail["changed"] for e in _audited(session, nisp)]
    assert changes == ["delivery", "kpi added", "kpi actual", "kpi actual", "evidence added"]
    assert all(e.target == "coordination" and e.actor for e in _audited(session, nisp))

    evidence = session.scalar(select(Evidence).where(Evidence.recommendation_id == rec.id))
    evidence_id, kpi_id = evidence.id, kpi.id
    _post(client, f"{PAGE}/remove", kind="evidence", id=str(evidence_id))
    _post(client, f"{PAGE}/remove", kind="kpi", id=str(kpi_id))
    session.expunge_all()
    assert session.get(Evidence, evidence_id) is None and session.get(Kpi, kpi_id) is None
    assert session.scalars(select(KpiActual)).all() == []
    assert [e.detail["changed"] for e in _audited(session, nisp)][-2:] == [
        "evidence removed",
        "kpi removed",
    ]


@pytest.mark.parametrize(
    ("url", "fields", "field", "message"),
    [
        ("coordination/delivery", {"owner": "NACTA", "status": "done", "progress": "140"},
         "progress", "A whole number from 0 to 100."),
        ("coordination/delivery", {"owner": "NACTA", "status": "finished", "progress": "10"},
         "status", "Choose a status."),
        ("coordination/kpi", {"name": "Cases", "unit": "", "baseline": "ten", "target": "5"},
         "baseline", "A number, such as 12 or 3.5."),
        ("coordination/evidence", {"url": "javascript:alert(1)", "label": "Report"},
         "url", "An address starting with http:// or https://."),
        ("coordination/evidence", {"url": "https://example.org/x", "label": " "},
         "label", "Required."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_beside_its_field_and_kept(
    client, session, nisp, organizer, url, fields, field, message
):
    response = _post(client, f"{PAGE}/{url}", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<span class="error" id="{field}-error">{message}</span>' in page
    for value in fields.values():
        if value.strip() and field != "status":
            assert f'value="{value}"' in page.replace("&#34;", '"')
    assert session.scalars(select(Delivery)).all() == []
    assert session.scalars(select(Kpi)).all() == []
    assert session.scalars(select(Evidence)).all() == []
    assert _audited(session, nisp) == []


def test_an_actual_needs_a_date_and_a_kpi_of_this_survey(client, session, nisp, organizer):
    rec = nisp.recommendations[0]
    kpi = services.add_kpi(session, None, nisp, rec, name="X", unit="", baseline="0", target="1")
    response = _post(client, f"{PAGE}/actual", kpi=str(kpi.id), measured_on="30/06/2026",
                     value="1")  # fmt: skip
    assert response.status_code == 400
    assert "A date as yyyy-mm-dd." in response.get_data(as_text=True)
    other = factories.small(session, slug="other")
    foreign = services.add_kpi(
        session, None, other, other.recommendations[0], name="Y", unit="", baseline="0",
        target="1",
    )  # fmt: skip
    response = _post(client, f"{PAGE}/actual", kpi=str(foreign.id), measured_on="2026-06-30",
                     value="1")  # fmt: skip
    assert response.status_code == 400
    assert session.get(Kpi, foreign.id).actuals == []


@pytest.mark.parametrize(
    ("baseline", "target", "values", "met"),
    [
        (10, 25, [], False),  # nothing measured
        (10, 25, [24.9], False),
        (10, 25, [25], True),  # reaching the target is enough
        (10, 25, [30, 20], False),  # the latest counts, not the best
        (40, 15, [15], True),  # a fall wanted (attacks): at or below the target
        (40, 15, [16], False),
        (40, 15, [10, 12], True),
    ],
)
def test_a_kpi_is_met_when_its_latest_value_reaches_the_target(
    session, nisp, baseline, target, values, met
):
    rec = nisp.recommendations[0]
    kpi = services.add_kpi(
        session, None, nisp, rec, name="K", unit="", baseline=str(baseline), target=str(target)
    )
    for day, value in enumerate(values, start=1):
        services.add_actual(
            session, None, nisp, kpi, measured_on=date(2026, 1, day).isoformat(), value=str(value)
        )
    assert kpi.met is met


def test_a_second_value_on_the_same_day_replaces_the_first(session, nisp):
    kpi = services.add_kpi(
        session, None, nisp, nisp.recommendations[0], name="K", unit="", baseline="0", target="5"
    )
    services.add_actual(session, None, nisp, kpi, measured_on="2026-03-01", value="2")
    services.add_actual(session, None, nisp, kpi, measured_on="2026-03-01", value="6")
    assert [(a.measured_on, a.value) for a in kpi.actuals] == [(date(2026, 3, 1), 6)]
    assert kpi.met


@pytest.mark.parametrize(
    "url", ["ftp://example.org/x", "data:text/html,hi", "https://", "//example.org", "http:x"]
)
def test_only_http_and_https_addresses_are_evidence(session, nisp, url):
    with pytest.raises(Refusal):
        services.add_evidence(session, None, nisp, nisp.recommendations[0], url=url, label="x")


def test_viewers_and_other_organizers_cannot_edit(client, session, nisp):
    viewer = factories.user(session, Role.viewer, survey=nisp)
    factories.login(client, viewer)
    assert client.get(PAGE).status_code == 403
    tokens = form_tokens(client, "/auth/login")
    fields = {"owner": "x", "status": "done", "progress": "1"}
    response = client.post(f"{PAGE}/coordination/delivery", data={**tokens, **fields})
    assert response.status_code == 403
    assert session.scalars(select(Delivery)).all() == []


def test_the_workbook_sets_support_beside_delivery(client, session, nisp, organizer):
    rec = next(r for r in nisp.recommendations if r.code == "coordination")
    services.save_delivery(session, None, nisp, rec, owner="=NACTA", status="stalled",
                           progress="30")  # fmt: skip
    kpi = services.add_kpi(session, None, nisp, rec, name="K", unit="", baseline="0", target="5")
    services.add_actual(session, None, nisp, kpi, measured_on="2026-03-01", value="5")
    data = download(client, f"/admin/surveys/{SLUG}/summary.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Implementation"].iter_rows(
        values_only=True
    ))  # fmt: skip
    media = next(r for r in rows if r[0] == "Inter-agency coordination" and r[1] == "Media")
    assert media[2] == pytest.approx(5 / 8) and media[3] == 8  # the hand-worked figures
    assert media[5:10] == ("=NACTA", "Stalled", 30, 1, 1)  # text, never a formula
    scholars = next(
        r for r in rows if r[0] == "Inter-agency coordination" and r[1] == "Religious scholars"
    )
    assert scholars[2] == "<5" and scholars[3] == "<5"


def test_a_question_coded_implementation_is_the_rating_beside_support(client, session):
    """The hook: an agreement scale whose code ends in _implementation rates delivery."""
    import copy

    from consult.analysis.summarising import OVERALL
    from consult.authoring.definitions import builtin_definition, create_survey
    from consult.collection.synthetic import add_fake_responses
    from consult.surveys.models import SurveyState

    data = copy.deepcopy(builtin_definition())
    data["slug"] = "rated"
    for section in data["sections"]:
        for question in section["questions"]:
            if question["code"] == "coordination_feasible":
                question["code"] = "coordination_implementation"
    survey = create_survey(session, data, SurveyState.open)
    list(add_fake_responses(session, survey, 120, seed=5))
    recount.forget()
    factories.login(client, factories.user(session, Role.admin))
    summary = summarising.summarise(summarising.frames(session, survey), survey)
    rated = next(q for q in survey.questions if q.code == "coordination_implementation")
    agree = next(q for q in survey.questions if q.code == "coordination_agree")
    data = download(client, "/admin/surveys/rated/summary.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Implementation"].iter_rows(
        values_only=True
    ))  # fmt: skip
    overall = next(
        r for r in rows
        if r[0] == "Inter-agency coordination" and r[1] == "Overall (each respondent counts once)"
    )  # fmt: skip
    assert overall[2] == pytest.approx(summary.result(agree).by_group[OVERALL].get("agree"))
    assert overall[4] == pytest.approx(summary.result(rated).by_group[OVERALL].get("agree"))
    monitoring = next(
        r for r in rows
        if r[0] == "Monitoring and evaluation" and r[1] == "Overall (each respondent counts once)"
    )  # fmt: skip
    assert monitoring[2] is not None and monitoring[4] is None  # not asked for this one
    page = client.get("/admin/surveys/rated/results").get_data(as_text=True)
    assert "implementation rated good:" in page


def test_the_survey_page_links_to_implementation_and_the_public_page(client, session, nisp):
    factories.login(client, factories.user(session, Role.organizer, survey=nisp))
    page = client.get(f"/admin/surveys/{SLUG}").get_data(as_text=True)
    assert f'href="{PAGE}?lang=en"' in page and f"/p/{SLUG}" not in page
    nisp.settings = {**nisp.settings, "public_page": True}
    session.flush()
    assert f'href="/p/{SLUG}?lang=en"' in client.get(f"/admin/surveys/{SLUG}").get_data(
        as_text=True
    )

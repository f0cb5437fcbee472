"""The survey builder through the web client: each bad input gets its message beside the field
and keeps what was typed; changes that would harm stored answers are refused and say why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from consult.accounts.roles import Role
from consult.surveys.models import Question, Survey, SurveyState
from tests import factories
from tests.conftest import form_tokens

B = "/admin/surveys"


@pytest.fixture
def admin(client, session):
    account = factories.user(session, Role.admin)
    factories.login(client, account)
    return account


def _post(client, url, data, page=None):
    tokens = form_tokens(client, page or "/admin/surveys/new")
    return client.post(url, data={**tokens, **data})


def _survey(session, slug):
    session.expire_all()
    return session.scalar(select(Survey).where(Survey.slug == slug))


LANGS = {"languages": ["en", "ur"], "default_language": "en"}


def _draft(client, slug="built"):
    response = _post(
        client,
        f"{B}/new",
        {"slug": slug, **LANGS, "title-en": "Built", "title-ur": "", "k_min": "5"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return f"{B}/{slug}/build"


def _rows(rows):
    """Editor rows as posted: (code, English text[, was]) each."""
    data = {}
    for n, (code, text, *was) in enumerate(rows):
        data |= {f"c{n}-code": code, f"c{n}-label-en": text, f"c{n}-was": was[0] if was else ""}
    return data


def _add_question(client, slug, type_name, code, label="Label", section="page_1", rows=(), **more):
    return _post(
        client,
        f"{B}/{slug}/build/sections/{section}/questions",
        {"type": type_name, "code": code, "label-en": label, **_rows(rows), **more},
    )


def _points(labels):
    return {f"c{n}-label-en": text for n, text in enumerate(labels)}


def test_create_survey_then_questions_choices_and_rules(client, session, admin):
    _draft(client)
    yes_no = [("yes", "Yes"), ("no", "No")]
    assert _add_question(client, "built", "single_choice", "works", rows=yes_no).status_code == 302
    _add_question(client, "built", "integer", "age")
    response = _post(
        client,
        f"{B}/built/build/questions/age",
        {
            "code": "age",
            "label-en": "Age",
            "min": "0",
            "max": "120",
            "required": "1",
            "relevant_mode": "typed",
            "relevant": "${works} = 'yes'",
            "constraint": ". >= 18",
            "constraint_message-en": "Adults only.",
            "constraint_message-ur": "صرف بالغ۔",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    survey = _survey(session, "built")
    age = next(q for q in survey.questions if q.code == "age")
    assert age.settings == {
        "min": 0,
        "max": 120,
        "relevant": "${works} = 'yes'",
        "constraint": ". >= 18",
        "constraint_message": {"en": "Adults only.", "ur": "صرف بالغ۔"},
    }
    assert age.required
    works = next(q for q in survey.questions if q.code == "works")
    assert [c.code for c in works.choices] == ["yes", "no"]
    assert survey.state == SurveyState.draft


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"relevant_mode": "typed", "relevant": "${works} = "}, "relevant", "unexpected"),
        ({"relevant_mode": "typed", "relevant": "${nobody} = 'x'"}, "relevant", "${nobody}"),
        ({"constraint": ". >> 3"}, "constraint", ""),
        ({"min": "ten"}, "min", "A whole number"),
        ({"min": "10", "max": "5"}, "max", "smaller than the minimum"),
        ({"code": "Bad Code"}, "code", "Use letters, digits"),
        ({"code": "works"}, "code", "already used"),
        ({"label-en": ""}, "label-en", "needs its text"),
    ],
)
def test_bad_question_input_is_shown_beside_its_field_and_kept(
    client, session, admin, data, field, message
):
    _draft(client)
    _add_question(client, "built", "single_choice", "works")
    _add_question(client, "built", "integer", "age")
    form = {"code": "age", "label-en": "Age", **data}
    response = _post(client, f"{B}/built/build/questions/age", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert message in page
    for name, typed in data.items():
        if name != "relevant_mode":
            assert f'value="{typed}"'.replace("'", "&#39;").replace(">", "&gt;") in page
    assert "relevant" not in _survey(session, "built").questions[1].settings  # nothing saved


def test_a_relevance_cycle_is_refused(client, session, admin):
    _draft(client)
    _add_question(client, "built", "integer", "a")
    _add_question(client, "built", "integer", "b")
    assert (
        _post(
            client,
            f"{B}/built/build/questions/a",
            {"code": "a", "label-en": "A", "relevant_mode": "typed", "relevant": "${b} > 1"},
        ).status_code
        == 302
    )
    response = _post(
        client,
        f"{B}/built/build/questions/b",
        {"code": "b", "label-en": "B", "relevant_mode": "typed", "relevant": "${a} > 1"},
    )
    assert response.status_code == 400
    assert "refers back to itself" in response.get_data(as_text=True)


def test_bad_survey_settings_are_shown_and_kept(client, session, admin):
    url = _draft(client)
    response = _post(
        client,
        f"{B}/built/build/settings",
        {
            "languages": ["en", "u_r"],
            "default_language": "en",
            "title-en": "Kept title",
            "k_min": "0",
            "opens_on": "2026-02-30",
            "closes_on": "",
        },
        page=url,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("languages", "k_min", "opens_on"):
        assert f'id="{field}-error"' in page
    assert "Kept title" in page
    assert _survey(session, "built").k_min == 5


def _settings(**changes):
    return {**LANGS, "title-en": "Built", "k_min": "5", **changes}


def test_analysis_thresholds_are_set_shown_and_reset_in_the_settings(client, session, admin):
    from consult.analysis.summarising import Thresholds

    url = _draft(client)
    typed = _settings(consensus_share="80 %", consensus_iqr="0,5", split_spread="")
    assert _post(client, f"{B}/built/build/settings", typed, page=url).status_code == 302
    survey = _survey(session, "built")
    assert survey.settings["analysis"] == {"consensus_share": 0.8, "consensus_iqr": 0.5}
    thresholds = Thresholds.of(survey)
    assert (thresholds.consensus_share, thresholds.consensus_iqr) == (0.8, 0.5)
    page = client.get(url).get_data(as_text=True)
    assert 'name="consensus_share" type="text" value="80"' in page
    assert 'name="consensus_iqr" type="text" value="0.5"' in page
    # Emptied fields go back to the defaults.
    assert _post(client, f"{B}/built/build/settings", _settings(), page=url).status_code == 302
    assert "analysis" not in _survey(session, "built").settings


@pytest.mark.parametrize(
    ("field", "typed"),
    [("consensus_share", "40"), ("consensus_share", "seventy"), ("consensus_iqr", "-1"),
     ("split_spread", "nan"), ("split_spread", "inf")],
)  # fmt: skip
def test_a_bad_analysis_threshold_is_shown_kept_and_nothing_saved(
    client, session, admin, field, typed
):
    url = _draft(client)
    data = _settings(**{field: typed, "k_min": "7"})
    response = _post(client, f"{B}/built/build/settings", data, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page and "A number from" in page
    assert f'name="{field}" type="text" value="{typed}"' in page
    survey = _survey(session, "built")
    assert survey.k_min == 5 and "analysis" not in survey.settings


def test_new_survey_refuses_a_taken_slug_and_a_missing_title(client, session, admin):
    _draft(client)
    response = _post(client, f"{B}/new", {"slug": "built", "languages": ["en"], "title-en": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already has this address" in page
    assert 'id="title-en-error"' in page


def test_duplicate_copies_content_as_a_draft(client, session, admin):
    factories.every_type(session)
    response = _post(client, f"{B}/every-type/build/duplicate", {"new_slug": "copy"})
    assert response.status_code == 302
    original, copy = _survey(session, "every-type"), _survey(session, "copy")
    assert copy.state == SurveyState.draft
    assert sorted(q.code for q in copy.questions) == sorted(q.code for q in original.questions)
    assert [len(q.choices) for q in copy.ordered_questions()] == [
        len(q.choices) for q in original.ordered_questions()
    ]


def _with_response(session, client):
    survey = factories.small(session)
    tokens = form_tokens(client, "/s/small")
    assert (
        client.post("/s/small", data={**tokens, **factories.valid_small_answers()}).status_code
        == 302
    )
    return survey


def test_destructive_changes_are_refused_once_answered(client, session, admin):
    _with_response(session, client)
    build = f"{B}/small/build"
    colour = {"code": "colour", "label-en": "Colour", "role": "region"}
    colours = [("red", "Red", "red"), ("green", "Green", "green"), ("blue", "Blue", "blue")]
    agree = {"code": "agree", "label-en": "Agree?", **_points(["a", "b", "c", "d"])}
    checks = [
        (f"{build}/questions/years/delete", {}, "already has answers"),
        (f"{build}/sections/main/delete", {}, "already has answers"),
        (f"{build}/questions/colour", colour | _rows(colours[::2]), "Respondents chose green"),
        (
            f"{build}/questions/colour",
            colour | _rows([colours[0], ("verde", "Green", "green"), colours[2]]),
            "cannot change",
        ),
        (f"{build}/questions/agree", agree, "none can be removed or moved"),
        (
            f"{build}/questions/years",
            {"code": "age_years", "label-en": "Years"},
            "already has answers",
        ),
        (
            f"{build}/settings",
            {"languages": ["en"], "default_language": "en", "title-en": "Small", "k_min": "5"},
            "not removed",
        ),
        (f"{build}/delete", {"confirm_slug": "small"}, "cannot be deleted"),
    ]
    for url, data, message in checks:
        response = _post(client, url, data, page=build)
        assert response.status_code in (400, 409), url
        assert message in response.get_data(as_text=True), url
    survey = _survey(session, "small")
    assert survey is not None and len(survey.questions) == 9
    # Text edits and new optional questions stay possible.
    response = _post(client, f"{build}/questions/years", {"code": "years", "label-en": "Years?"})
    assert response.status_code == 302
    assert _add_question(client, "small", "long_text", "extra", section="main").status_code == 302
    # A choice nobody chose may go.
    response = _post(client, f"{build}/questions/colour", colour | _rows(colours[:2]))
    assert response.status_code == 302


def test_delete_without_responses_and_the_confirmation(client, session, admin):
    url = _draft(client)
    response = _post(client, f"{B}/built/build/delete", {"confirm_slug": "wrong"}, page=url)
    assert response.status_code == 400
    assert 'id="confirm_slug-error"' in response.get_data(as_text=True)
    assert _post(client, f"{B}/built/build/delete", {"confirm_slug": "built"}).status_code == 302
    assert _survey(session, "built") is None


def test_sections_add_rename_reorder_delete_and_matrix(client, session, admin):
    url = _draft(client)
    assert (
        _post(client, f"{B}/built/build/sections", {"code": "views"}, page=url).status_code == 302
    )
    response = _post(client, f"{B}/built/build/sections", {"code": "views"}, page=url)
    assert response.status_code == 400 and "already used" in response.get_data(as_text=True)
    five = _points(["1", "2", "3", "4", "5"])
    _add_question(client, "built", "scale", "trust", section="views", **five)
    _add_question(client, "built", "integer", "n", section="views")
    response = _post(
        client, f"{B}/built/build/sections/views", {"title-en": "Views", "appearance": "table-list"}
    )
    assert response.status_code == 400
    assert "only scale questions" in response.get_data(as_text=True)
    _post(client, f"{B}/built/build/questions/n/delete", {})
    _add_question(client, "built", "scale", "safe", section="views", **five)
    response = _post(
        client, f"{B}/built/build/sections/views", {"title-en": "Views", "appearance": "table-list"}
    )
    assert response.status_code == 302
    # Points of a table are shared: a new point reaches every question of the page.
    six = {"code": "trust", "label-en": "Trust", **_points(["1", "2", "3", "4", "5", "Six"])}
    assert _post(client, f"{B}/built/build/questions/trust", six).status_code == 302
    survey = _survey(session, "built")
    assert [len(q.choices) for q in survey.questions if q.type == "scale"] == [6, 6]
    assert all(q.settings.get("matrix") for q in survey.questions if q.type == "scale")
    _post(client, f"{B}/built/build/sections/views/move", {"direction": "up"})
    assert [s.code for s in _survey(session, "built").sections] == ["views", "page_1"]
    assert _post(client, f"{B}/built/build/sections/page_1/delete", {}).status_code == 302
    assert [s.code for s in _survey(session, "built").sections] == ["views"]


def test_reorder_questions_and_choices_and_copy_choices(client, session, admin):
    _draft(client)
    _add_question(client, "built", "single_choice", "a", rows=[("x", "X"), ("y", "Y")])
    _add_question(client, "built", "single_choice", "b")
    # Rows are saved in the order posted (a dragged row needs no renaming).
    posted = {"code": "a", "label-en": "A", **_rows([("y", "Y", "y"), ("x", "X", "x")])}
    assert _post(client, f"{B}/built/build/questions/a", posted).status_code == 302
    _post(client, f"{B}/built/build/questions/b/move", {"direction": "up"})
    # "Copy choices" fills the rows in the page; saving keeps them.
    page = _post(
        client, f"{B}/built/build/questions/b",
        {"code": "b", "label-en": "B", "copy_from": "a", "action": "copy"},
    )  # fmt: skip
    assert page.status_code == 200
    assert 'name="c0-code" id="c0-code" value="y"' in page.get_data(as_text=True)
    copied = {"code": "b", "label-en": "B", **_rows([("y", "Y"), ("x", "X")])}
    assert _post(client, f"{B}/built/build/questions/b", copied).status_code == 302
    survey = _survey(session, "built")
    assert [q.code for q in survey.ordered_questions()] == ["b", "a"]
    by_code = {q.code: [c.code for c in q.choices] for q in survey.questions}
    assert by_code == {"a": ["y", "x"], "b": ["y", "x"]}
    response = _post(
        client, f"{B}/built/build/questions/b",
        {"code": "b", "label-en": "B", "copy_from": "nope", "action": "copy"},
    )  # fmt: skip
    assert 'id="copy_from-error"' in response.get_data(as_text=True)


def test_lifecycle_and_dates(client, session, admin):
    url = _draft(client)
    response = _post(client, f"{B}/built/build/state", {"action": "open"}, page=url)
    assert response.status_code == 409
    assert "no questions yet" in response.get_data(as_text=True)
    _add_question(client, "built", "short_text", "name")
    assert _post(client, f"{B}/built/build/state", {"action": "open"}).status_code == 302
    assert _survey(session, "built").state == SurveyState.open
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = _post(
        client,
        f"{B}/built/build/settings",
        {**LANGS, "title-en": "Built", "k_min": "5", "opens_on": tomorrow},
    )
    assert response.status_code == 302
    assert client.get("/s/built").status_code == 410  # not yet taking answers
    _post(
        client,
        f"{B}/built/build/settings",
        {**LANGS, "title-en": "Built", "k_min": "5", "opens_on": "2020-01-01"},
    )
    assert client.get("/s/built").status_code == 200
    unconfirmed = _post(client, f"{B}/built/build/state", {"action": "close"})
    assert unconfirmed.status_code == 302 and unconfirmed.location.endswith("/built/close")
    assert client.get("/s/built").status_code == 200  # closing asks first
    closed = _post(client, f"{B}/built/build/state", {"action": "close", "confirm": "yes"})
    assert closed.status_code == 302
    assert client.get("/s/built").status_code == 410


def test_preview_shows_a_draft_and_stores_nothing(client, session, admin):
    survey = factories.small(session, state=SurveyState.draft)
    page = client.get(f"{B}/small/preview")
    assert page.status_code == 200
    assert "Preview" in page.get_data(as_text=True)
    assert "data-draft" not in page.get_data(as_text=True)  # the browser keeps no copy either
    tokens = form_tokens(client, f"{B}/small/preview")
    response = client.post(f"{B}/small/preview", data={**tokens, **factories.valid_small_answers()})
    assert response.status_code == 200
    assert "Nothing was stored" in response.get_data(as_text=True)
    from consult.authoring.answered import has_responses

    assert not has_responses(session, survey)
    assert client.get("/s/small").status_code == 410  # a draft is not public


def test_organizers_preview_but_do_not_build(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    assert client.get(f"{B}/small/preview").status_code == 200
    assert client.get(f"{B}/small/build").status_code == 403
    assert client.get(f"{B}/small/build/questions/years").status_code == 403


def test_objects_are_found_only_through_their_survey(client, session, admin):
    factories.small(session)
    factories.small(session, slug="other")
    assert client.get(f"{B}/small/build/questions/nope").status_code == 404
    assert client.get(f"{B}/small/build/sections/nope").status_code == 404
    assert isinstance(session.scalar(select(Question).limit(1)), Question)


def test_recommendations_are_added_tagged_and_kept_while_used(client, session, admin):
    url = _draft(client)
    recs = f"{B}/built/build/recommendations"
    response = _post(client, recs, {"c0-code": "coord"}, page=url)
    assert response.status_code == 400
    assert 'id="c0-label-en-error"' in response.get_data(as_text=True)
    assert 'value="coord"' in response.get_data(as_text=True)
    two = {
        "c0-code": "coord", "c0-label-en": "Coordination", "c0-label-ur": "رابطہ کاری",
        "c0-text-en": "One mechanism for every agency.", "c1-code": "kpis",
        "c1-label-en": "Indicators", "c1-label-ur": "اشاریے",
    }  # fmt: skip
    assert _post(client, recs, two).status_code == 302
    _add_question(client, "built", "long_text", "why")
    response = _post(client, recs, two | {"c0-was": "coord", "c1-was": "kpis", "tag-why": "coord"})
    assert response.status_code == 302
    survey = _survey(session, "built")
    assert [r.code for r in survey.recommendations] == ["coord", "kpis"]
    assert survey.recommendations[0].description == {"en": "One mechanism for every agency."}
    assert survey.questions[0].recommendation.code == "coord"
    # Leaving out a recommendation questions are tagged with is refused.
    kpis_only = {k.replace("c1", "c0"): v for k, v in two.items() if k.startswith("c1")}
    response = _post(client, recs, kpis_only | {"c0-was": "kpis"})
    assert response.status_code == 400 and "tagged" in response.get_data(as_text=True)
    # Untagged in the same save, it may go; a renamed one keeps its identity.
    renamed = {**kpis_only, "c0-was": "kpis", "c0-code": "indicators", "tag-why": ""}
    assert _post(client, recs, renamed).status_code == 302
    survey = _survey(session, "built")
    assert [r.code for r in survey.recommendations] == ["indicators"]
    assert survey.questions[0].recommendation is None


def test_bad_choice_and_duplicate_input_is_shown_and_kept(client, session, admin):
    url = _draft(client)
    response = _add_question(
        client, "built", "single_choice", "pick", rows=[("two words", ""), ("b", "B")],
        **{"c0-label-ur": "دو"},
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="c0-code-error"' in page and 'id="c0-label-en-error"' in page
    assert 'value="two words"' in page and 'value="دو"' in page
    response = _add_question(
        client, "built", "single_choice", "pick", rows=[("a", "A"), ("a", "B")]
    )
    assert response.status_code == 400 and "already used" in response.get_data(as_text=True)
    assert _survey(session, "built").questions == []  # nothing half-saved
    response = _post(client, f"{B}/built/build/duplicate", {"new_slug": "Not A Slug"}, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="new_slug-error"' in page and 'value="Not A Slug"' in page
    response = _post(
        client, f"{B}/built/build/sections/page_1/questions", {"type": "bogus", "code": "x"}
    )
    assert response.status_code == 404
    response = _post(
        client, f"{B}/built/build/sections/page_1/questions", {"type": "start", "code": "x"}
    )
    assert response.status_code == 404  # metadata is not a question an author adds


def test_markup_in_texts_is_shown_as_text(client, session, admin):
    url = _draft(client)
    _add_question(client, "built", "short_text", "q", label="<script>alert(1)</script>")
    page = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    preview = client.get(f"{B}/built/preview").get_data(as_text=True)
    assert "&lt;script&gt;" in preview and "<script>alert" not in preview

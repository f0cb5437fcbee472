"""The builder's fast editors through the web client, without JavaScript: one form per question
(or scale matrix, or list of recommendations) saved by one submit, buttons that never lose
what was typed, the consultation's structure (groups with targets and quotas, region, tags),
conditions without typing expressions, duplicates, translations, languages from a list."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.accounts.roles import Role
from consult.surveys.models import QuestionRole, Survey, SurveyState
from tests import factories
from tests.conftest import form_tokens

B = "/admin/surveys"
LANGS = {"languages": ["en", "ur"], "default_language": "en"}


@pytest.fixture
def admin(client, session):
    account = factories.user(session, Role.admin)
    factories.login(client, account)
    return account


def _post(client, url, data, headers=None):
    tokens = form_tokens(client, f"{B}/new")
    return client.post(url, data={**tokens, **data}, headers=headers or {})


def _survey(session, slug="built"):
    session.expire_all()
    return session.scalar(select(Survey).where(Survey.slug == slug))


def _draft(client, slug="built", **more):
    data = {"slug": slug, **LANGS, "title-en": "Built", "title-ur": "بنایا", "k_min": "5"}
    response = _post(client, f"{B}/new", data | more)
    assert response.status_code == 302, response.get_data(as_text=True)
    return f"{B}/{slug}/build"


def _rows(rows, prefix="c"):
    """Rows as the editor posts them: dicts of part → value."""
    data = {}
    for n, parts in enumerate(rows):
        data |= {f"{prefix}{n}-{part}": value for part, value in parts.items()}
    return data


def _choice(code, en, ur="", was="", **more):
    return {"code": code, "label-en": en, "label-ur": ur, "was": was, **more}


def _new(client, type_name, data, slug="built", section="page_1"):
    url = f"{B}/{slug}/build/sections/{section}/questions"
    return _post(client, url, {"type": type_name, **data})


def _value(page, name):
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


def test_languages_are_picked_from_a_list_the_default_first(client, session, admin):
    page = client.get(f"{B}/new").get_data(as_text=True)
    assert 'type="checkbox" name="languages" value="ps"' in page  # Pashto is offered
    assert "languages" not in {
        m for m in re.findall(r'<input[^>]*type="text"[^>]*name="(\w+)"', page)
    }
    _draft(client, languages=["en", "ur", "ps"], default_language="ur")
    assert _survey(session).languages == ["ur", "en", "ps"]
    response = _post(client, f"{B}/new", {"slug": "none", "title-en": "x", "k_min": "5"})
    assert response.status_code == 400 and 'id="languages-error"' in response.get_data(as_text=True)


def test_the_add_a_question_list_offers_questions_not_metadata(client, session, admin):
    url = _draft(client)
    page = client.get(url).get_data(as_text=True)
    assert "type=scale" in page and "type=single_choice" in page and "type=calculate" in page
    assert "type=start" not in page and "type=today" not in page and "type=end" not in page
    picker = client.get(f"{B}/built/build/sections/page_1/questions").get_data(as_text=True)
    assert "type=multiple_choice" in picker and "type=start" not in picker
    assert client.get(f"{B}/built/build/sections/page_1/questions?type=start").status_code == 404


def test_a_bilingual_question_with_its_choices_is_one_submit(client, session, admin):
    _draft(client)
    rows = [_choice("tv", "Television", "ٹیلی ویژن"), _choice("radio", "Radio", "ریڈیو"),
            _choice("", "", "")]  # fmt: skip
    data = {"code": "media", "label-en": "Which media?", "label-ur": "کون سا میڈیا؟",
            "hint-en": "Tick all", "required": "1", **_rows(rows)}  # fmt: skip
    response = _new(client, "multiple_choice", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    [question] = _survey(session).questions
    assert question.label == {"en": "Which media?", "ur": "کون سا میڈیا؟"}
    assert [(c.code, c.label) for c in question.choices] == [
        ("tv", {"en": "Television", "ur": "ٹیلی ویژن"}),
        ("radio", {"en": "Radio", "ur": "ریڈیو"}),
    ]  # the spare empty row is left out


@pytest.mark.parametrize(
    ("action", "codes"),
    [("add:c", ["a", "b", ""]), ("remove:c:0", ["b"]), ("up:c:1", ["b", "a"]),
     ("down:c:0", ["b", "a"]), ("add:k", ["a", "b"]), ("remove:k:0", ["a", "b"])],
)  # fmt: skip
def test_no_button_loses_what_was_typed(client, session, admin, action, codes):
    _draft(client)
    rows = [_choice("a", "A", "الف"), _choice("b", "B", "ب")]
    data = {"code": "typed_code", "label-en": "Typed", "label-ur": "لکھا ہوا", "hint-ur": "اشارہ",
            **_rows(rows), "k0-question": "", "k0-text": "typed value",
            "action": action}  # fmt: skip
    response = _new(client, "single_choice", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _value(page, "code") == "typed_code"
    assert ">لکھا ہوا</textarea>" in page and _value(page, "hint-ur") == "اشارہ"
    shown = [_value(page, f"c{n}-code") for n in range(len(codes))]
    assert shown == codes and _value(page, f"c{len(codes)}-code") is None
    if "b" in codes:
        assert _value(page, f"c{codes.index('b')}-label-ur") == "ب"
    texts = [_value(page, f"k{n}-text") for n in range(2)]
    assert texts == {"add:k": ["typed value", ""], "remove:k:0": ["", None]}.get(action, texts)
    assert _survey(session).questions == []  # nothing stored


def test_a_scale_starts_from_a_preset_in_both_languages(client, session, admin):
    _draft(client)
    page = client.get(f"{B}/built/build/sections/page_1/questions?type=scale").get_data(True)
    assert _value(page, "c0-label-en") == "Strongly disagree"
    assert _value(page, "c4-label-ur") == "مکمل طور پر متفق"
    typed = {"code": "often", "label-en": "How often?", "label-ur": "کتنی بار؟",
             "preset": "frequency-7", "action": "preset",
             **_rows([_choice("", "one"), _choice("", "two")])}  # fmt: skip
    page = _new(client, "scale", typed).get_data(as_text=True)
    assert [_value(page, f"c{n}-label-en") for n in range(7)][::3] == [
        "Never",
        "Sometimes",
        "Always",
    ]
    assert _value(page, "c6-label-ur") == "ہمیشہ" and _value(page, "c7-label-en") is None
    assert ">کتنی بار؟</textarea>" in page
    points = [{"label-en": en, "label-ur": ur} for en, ur in (("No", "نہیں"), ("Yes", "ہاں"))]
    data = {"code": "often", "label-en": "How often?", **_rows(points)}
    assert _new(client, "scale", data).status_code == 302
    [scale] = _survey(session).questions
    assert [(c.code, c.label["ur"]) for c in scale.choices] == [("1", "نہیں"), ("2", "ہاں")]


def _group_question(client, **more):
    rows = [_choice("media", "Media", "میڈیا", target="40", quota="60"),
            _choice("academia", "Academia", "تعلیمی و تحقیقی حلقے", target="30"),
            _choice("scholars", "Religious scholars", "علمائے کرام")]  # fmt: skip
    data = {"code": "who", "label-en": "Who are you?", "role": "group", "required": "1",
            **_rows(rows), **more}  # fmt: skip
    return _new(client, "single_choice", data)


def test_the_group_question_makes_the_groups_with_targets_and_quotas(client, session, admin):
    _draft(client)
    assert _group_question(client).status_code == 302
    survey = _survey(session)
    [who] = survey.questions
    assert who.role == QuestionRole.group and who.choices == []
    groups = [(g.code, g.label["ur"], g.target, g.quota) for g in survey.groups]
    assert groups == [("media", "میڈیا", 40, 60), ("academia", "تعلیمی و تحقیقی حلقے", 30, None),
                      ("scholars", "علمائے کرام", None, None)]  # fmt: skip
    # Editing keeps each group (its links and invitations): the page shows them as rows.
    page = client.get(f"{B}/built/build/questions/who").get_data(as_text=True)
    assert _value(page, "c0-was") == "media" and _value(page, "c0-quota") == "60"
    media_id = survey.groups[0].id
    renamed = _rows([_choice("press", "Press", "میڈیا", was="media", quota="50"),
                     _choice("academia", "Academia", "", was="academia")])  # fmt: skip
    data = {"code": "who", "label-en": "Who are you?", "role": "group", **renamed}
    assert _post(client, f"{B}/built/build/questions/who", data).status_code == 302
    survey = _survey(session)
    assert [(g.id, g.code, g.quota) for g in survey.groups][0] == (media_id, "press", 50)
    assert [g.code for g in survey.groups] == ["press", "academia"]
    # One stakeholder-group question per survey.
    response = _group_question(client, code="again")
    assert response.status_code == 400 and "stands for this already" in response.get_data(True)


def test_groups_reach_links_invitations_and_the_monitor(client, session, admin):
    _draft(client, k_min="1")
    _group_question(client)
    region = _rows([_choice("punjab", "Punjab", "پنجاب", target="25"),
                    _choice("sindh", "Sindh", "سندھ")])  # fmt: skip
    data = {"code": "province", "label-en": "Province", "role": "region", **region}
    assert _new(client, "single_choice", data).status_code == 302
    survey = _survey(session)
    assert survey.settings["region_targets"] == {"punjab": 25}
    survey.state = SurveyState.open
    session.flush()
    page = client.get("/s/built?group=media").get_data(as_text=True)
    assert 'type="hidden" name="q_who" value="media"' in page  # the group link fixes the group
    monitor = client.get(f"{B}/built/monitor").get_data(as_text=True)
    assert re.search(
        r"Media</bdi></th><td class=\"num\">0</td>\s*<td class=\"num\">40</td>", monitor
    )
    assert ">60</td>" in monitor.replace(" ", "") or ">60<" in monitor
    assert '<td class="num">25</td>' in monitor  # the region's target row
    overview = client.get(f"{B}/built/build").get_data(as_text=True)
    assert "/s/built?group=academia" in overview


def test_roles_stay_once_responses_were_given(client, session, admin):
    survey = factories.small(session)
    factories.answered(session, survey, {"group": "media", "colour": "red"})
    data = {"code": "colour", "label-en": "Colour", "role": "", **_rows(
        [_choice(c, c.title(), was=c) for c in ("red", "green", "blue")])}  # fmt: skip
    response = _post(client, f"{B}/small/build/questions/colour", data)
    assert response.status_code == 409 and "stays as it is" in response.get_data(as_text=True)
    groups = _rows([_choice("academia", "Academia", was="academia")])
    data = {"code": "group", "label-en": "Group", "role": "group", **groups}
    response = _post(client, f"{B}/small/build/questions/group", data)
    assert response.status_code == 409 and "belong to group media" in response.get_data(True)
    renamed = _rows(
        [_choice("press", "Media", was="media"), _choice("academia", "A", was="academia")]
    )
    response = _post(client, f"{B}/small/build/questions/group", data | renamed)
    assert response.status_code == 400 and "its code stays" in response.get_data(as_text=True)
    # A group nobody belongs to may go.
    assert _post(client, f"{B}/small/build/questions/group", data | _rows(
        [_choice("media", "Media", was="media")])).status_code == 302  # fmt: skip
    assert [g.code for g in _survey(session, "small").groups] == ["media"]


def test_the_condition_editor_writes_reads_and_refuses(client, session, admin):
    _draft(client)
    yes_no = _rows([_choice("yes", "Yes", "جی ہاں"), _choice("no", "No", "جی نہیں")])
    _new(client, "single_choice", {"code": "works", "label-en": "Do you work?", **yes_no})
    _new(client, "integer", {"code": "age", "label-en": "Age"})
    conditions = {"k0-question": "works", "k0-op": "=", "k0-value": "works:yes",
                  "k1-question": "age", "k1-op": ">=", "k1-text": "18", "join": "all"}  # fmt: skip
    data = {"code": "salary", "label-en": "Salary", "required": "1", **conditions}
    assert _new(client, "decimal", data).status_code == 302
    salary = next(q for q in _survey(session).questions if q.code == "salary")
    assert salary.settings["relevant"] == "${works} = 'yes' and ${age} >= 18"
    page = client.get(f"{B}/built/build/questions/salary").get_data(as_text=True)
    assert 'value="works:yes" selected' in page and _value(page, "k1-text") == "18"
    assert "${works} = &#39;yes&#39; and ${age} &gt;= 18</code>" in page  # shown as written
    bad = {"code": "salary", "label-en": "Salary", "k0-question": "works", "k0-op": "=",
           "k0-value": "", "k1-question": "age", "k1-op": ">", "k1-text": "old",
           "k2-question": "ghost", "k2-op": "="}  # fmt: skip
    response = _post(client, f"{B}/built/build/questions/salary", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("k0-value", "k1-value", "k2-question"):
        assert f'id="{field}-error"' in page, field
    assert _value(page, "k1-text") == "old"
    # A typed answer's words count as its code; an expert's expression is kept as typed.
    typed = {"code": "salary", "label-en": "Salary", "k0-question": "works", "k0-op": "!=",
             "k0-text": "no"}  # fmt: skip
    assert _post(client, f"{B}/built/build/questions/salary", typed).status_code == 302
    assert _survey(session).questions[2].settings["relevant"] == "${works} != 'no'"
    expert = {"code": "salary", "label-en": "Salary", "relevant_mode": "typed",
              "relevant": "${age} + 1 > 19"}  # fmt: skip
    assert _post(client, f"{B}/built/build/questions/salary", expert).status_code == 302
    page = client.get(f"{B}/built/build/questions/salary").get_data(as_text=True)
    assert 'value="typed" checked' in page


def test_a_scale_matrix_is_one_page_of_statements_on_one_scale(client, session, admin):
    _draft(client)
    recs = {"c0-code": "r1", "c0-label-en": "One", "c1-code": "r2", "c1-label-en": "Two"}
    _post(client, f"{B}/built/build/recommendations", recs)
    page = client.get(f"{B}/built/build/matrices").get_data(as_text=True)
    points = [{"label-en": _value(page, f"c{n}-label-en"),
               "label-ur": _value(page, f"c{n}-label-ur")} for n in range(5)]  # fmt: skip
    statements = [
        {"code": "s_one", "label-en": "First", "label-ur": "پہلا", "recommendation": "r1"},
        {"code": "s_two", "label-en": "Second", "recommendation": "r2"},
    ]
    data = {"code": "views", "title-en": "Views", "required": "1", **_rows(points),
            **_rows(statements, "s")}  # fmt: skip
    assert _post(client, f"{B}/built/build/matrices", data).status_code == 302
    survey = _survey(session)
    views = next(s for s in survey.sections if s.code == "views")
    mine = [q for q in survey.ordered_questions() if q.section is views]
    assert [(q.code, q.recommendation.code, q.required) for q in mine] == [
        ("s_one", "r1", True), ("s_two", "r2", True)]  # fmt: skip
    assert all(q.settings.get("matrix") for q in mine)
    assert [c.label["ur"] for c in mine[1].choices][0] == "بالکل متفق نہیں"
    # Changed on its own page: a statement renamed, one removed, the points shared.
    edit = {"code": "views", "title-en": "Views", **_rows(points[:4]),
            **_rows([{**statements[0], "code": "first", "was": "s_one"}], "s")}  # fmt: skip
    assert _post(client, f"{B}/built/build/sections/views/matrix", edit).status_code == 302
    mine = [q for q in _survey(session).questions if q.section.code == "views"]
    assert [(q.code, len(q.choices)) for q in mine] == [("first", 4)]


def test_duplicates_of_a_question_and_of_a_page(client, session, admin):
    survey = factories.every_type(session, state=SurveyState.draft)
    assert _post(client, f"{B}/every-type/build/questions/works/duplicate", {}).status_code == 302
    survey = _survey(session, "every-type")
    copy = next(q for q in survey.questions if q.code == "works_2")
    works = next(q for q in survey.questions if q.code == "works")
    assert copy.position == works.position + 1 and copy.section is works.section
    assert [c.code for c in copy.choices] == ["yes", "no"]
    assert _post(client, f"{B}/every-type/build/sections/work/duplicate", {}).status_code == 302
    survey = _survey(session, "every-type")
    assert [s.code for s in survey.sections][:3] == ["main", "work", "work_2"]
    sector = next(q for q in survey.questions if q.code == "sector_2")
    assert sector.settings["relevant"] == "${works_3} = 'yes'"  # its page's copy of works
    group_copy = _post(client, f"{B}/every-type/build/questions/group/duplicate", {})
    assert group_copy.status_code == 302
    assert (
        next(q for q in _survey(session, "every-type").questions if q.code == "group_2").role
        is None
    )


def test_the_translation_view_lists_each_missing_text_once(client, session, admin):
    _draft(client)
    rows = _rows([_choice("a", "Agree"), _choice("b", "Agree")])  # the same words twice
    _new(client, "single_choice", {"code": "q1", "label-en": "One", "label-ur": "ایک", **rows})
    page = client.get(f"{B}/built/build/translations").get_data(as_text=True)
    assert "used in 2 places" in page and "Question q1: choices" in page
    keys = re.search(r'name="(t\d+)-keys" value="(choice\|q1\|a choice\|q1\|b)"', page)
    assert keys is not None
    data = {f"{keys.group(1)}-keys": keys.group(2), f"{keys.group(1)}-text-ur": "متفق"}
    assert _post(client, f"{B}/built/build/translations", data).status_code == 302
    [q1] = _survey(session).questions
    assert [c.label for c in q1.choices] == [{"en": "Agree", "ur": "متفق"}] * 2
    assert "Agree" not in client.get(f"{B}/built/build/translations").get_data(as_text=True)


def test_the_script_saves_without_a_reload(client, session, admin):
    _draft(client)
    data = {"code": "q1", "label-en": "One", **_rows([_choice("a", "A"), _choice("b", "B")])}
    headers = {"X-Requested-With": "consult-builder"}
    url = f"{B}/built/build/sections/page_1/questions"
    response = _post(client, url, {"type": "single_choice", **data}, headers)
    assert response.status_code == 200 and response.json["saved"] is True
    assert response.json["url"].endswith("/built/build/questions/q1")
    refused = _post(client, response.json["url"], {"code": "q1", "label-en": ""}, headers)
    assert refused.status_code == 400 and 'id="label-en-error"' in refused.get_data(as_text=True)

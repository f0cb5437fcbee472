"""SPSS, Stata and R files: read back, they hold the raw workbook's values, the question
texts in English and Urdu, value labels, 0/1 multiple choice, and "no answer" apart from
"not applicable" (skip logic)."""

from __future__ import annotations

import copy
import math
import random
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pyreadr
import pyreadstat
import pytest
from sqlalchemy import select

from consult.accounts.audit import AuditEvent
from consult.accounts.roles import Role
from consult.authoring.definitions import create_survey
from consult.collection.synthetic import fake_answers
from consult.exports.raw import codebook, raw_table
from consult.exports.statwriters import statistical_file
from consult.spreadsheets.workbooks import write_raw
from tests import factories

SLUG = "nisp-stat"
LONG_URDU = ("پاکستان کی داخلی سلامتی " * 120).strip()  # ~2,900 characters, ~5,300 bytes
MEDIA_ONLY = "${group} != 'media'"


def _definition():
    data = copy.deepcopy(factories._nisp())
    data["slug"] = SLUG
    last = data["sections"][-1]["questions"]
    years = next(q for q in last if q["code"] == "years_experience")
    years["relevant"] = MEDIA_ONLY  # media never see it: their missing answer is N/A
    return data


@pytest.fixture
def survey(session):
    survey = create_survey(session, _definition(), factories.SurveyState.open)
    rng = random.Random(7)  # noqa: S311
    by_id = {q.id: q.code for q in survey.questions}
    for n in range(12):
        answers = {by_id[qid]: value for qid, value in fake_answers(survey, rng).items()}
        answers["group"] = "media" if n % 3 == 0 else "academia"
        if n % 3 == 0 or n == 1:
            answers.pop("years_experience", None)  # media: hidden; n == 1: unanswered
        else:
            answers["years_experience"] = str(n)
        if n == 2:
            answers["policy_gaps"] = LONG_URDU
        factories.answered(session, survey, answers, language="ur" if n % 2 else "en")
    return survey


def _write(session, survey, fmt, lang, tmp_path):
    path = tmp_path / f"{lang}.{fmt}"
    written = statistical_file(session, survey, lang, fmt, path)
    return path, written


def _workbook_rows(session, survey, lang, tmp_path):
    path = tmp_path / f"raw-{lang}.xlsx"
    write_raw(str(path), raw_table(session, survey, lang), codebook(survey, lang))
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Responses"].values)
    book.close()  # a read-only workbook keeps its file open until closed
    width = len(rows[0])  # a row read back ends at its last filled cell
    return list(rows[0]), [list(row) + [None] * (width - len(row)) for row in rows[1:]]


def _same(workbook_value, file_value):
    if workbook_value is None or workbook_value == "":
        return (
            file_value is None
            or file_value == ""
            or (isinstance(file_value, float) and math.isnan(file_value))
        )
    if isinstance(workbook_value, datetime):  # a date cell reads back as midnight
        workbook_value = workbook_value.date()
    if isinstance(file_value, datetime):
        file_value = file_value.date()
    if isinstance(workbook_value, int | float) and not isinstance(workbook_value, bool):
        return float(workbook_value) == float(file_value)
    return workbook_value == file_value


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_sav_holds_the_workbooks_values_with_labels(session, survey, tmp_path, lang):
    path, written = _write(session, survey, "sav", lang, tmp_path)
    labelled, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    headers, rows = _workbook_rows(session, survey, lang, tmp_path)
    assert written.count == len(rows) == len(labelled) == 12
    assert len(meta.column_names) == len(headers)
    for header, name in zip(headers, meta.column_names, strict=True):
        assert name == header.replace("/", "_")[:32]  # SPSS and Stata names, in order
    for row, (_, record) in zip(rows, labelled.iterrows(), strict=True):
        for header, name, value in zip(headers, meta.column_names, row, strict=True):
            if name == "years_experience":
                continue  # not applicable is labelled in the file; checked below
            assert _same(value, record[name]), (header, value, record[name])
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    question = survey.questions[0].survey.text
    agree = next(q for q in survey.questions if q.code == "coordination_agree")
    assert labels["coordination_agree"] == question(agree.label, lang)
    tv = "ٹی وی" if lang == "ur" else "TV"
    assert labels["information_sources_tv"].endswith(f": {tv}")
    assert meta.variable_measure["province"] == "nominal"
    punjab = "پنجاب" if lang == "ur" else "Punjab"
    assert punjab in meta.variable_value_labels["province"].values()
    assert meta.variable_value_labels["coordination_agree"][5.0] == question(
        agree.options()[-1][1], lang
    )


def test_no_answer_is_system_missing_and_not_applicable_a_user_missing_code(
    session, survey, tmp_path
):
    path, _ = _write(session, survey, "sav", "en", tmp_path)
    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    years = data["years_experience"]
    groups = data["group"].map(meta.variable_value_labels["group"])
    assert meta.missing_ranges["years_experience"] == [{"lo": -99.0, "hi": -99.0}]
    assert meta.variable_value_labels["years_experience"][-99.0] == "not applicable (skipped)"
    assert list(years[groups == "Media"]) == [-99.0] * 4
    others = years[groups == "Academia"]  # one left unanswered: system-missing
    assert others.isna().sum() == 1 and sorted(others.dropna()) == [2, 4, 5, 7, 8, 10, 11]
    plain, _ = pyreadstat.read_sav(str(path))  # without user_missing: both missing
    assert plain["years_experience"][groups == "Media"].isna().all()


def test_stata_uses_dot_a_keeps_long_urdu_whole_as_strl_and_says_so(app, session, survey, tmp_path):
    with app.app_context():  # the label of .a in Urdu, as the command and the page write it
        path, written = _write(session, survey, "dta", "ur", tmp_path)
    data, meta = pyreadstat.read_dta(str(path), user_missing=True)
    groups = data["group"].map(meta.variable_value_labels["group"])
    assert set(data["years_experience"][groups == "میڈیا"]) == {"a"}
    assert meta.variable_value_labels["years_experience"]["a"] == "لاگو نہیں (چھوڑا گیا)"
    assert LONG_URDU in set(data["policy_gaps"])  # not cut
    assert any("policy_gaps" in note and "strL" in note for note in written.notes)
    # Stata keeps 80 characters of a label: the longer ones are shortened, marked and named.
    assert all(len(label) <= 80 for label in meta.column_labels)
    assert any("shortened" in note for note in written.notes)


def test_dates_are_dates(session, tmp_path):
    survey = factories.every_type(session)
    factories.answered(session, survey, {"salary": "10"})
    path, _ = _write(session, survey, "sav", "en", tmp_path)  # no date yet: still a date column
    assert pyreadstat.read_sav(str(path))[1].original_variable_types["started"].startswith("DATE")
    dta, _ = _write(session, survey, "dta", "en", tmp_path)
    assert pyreadstat.read_dta(str(dta))[1].original_variable_types["started"] == "%td"
    factories.answered(session, survey, {"started": "2026-03-21"})
    path, _ = _write(session, survey, "sav", "en", tmp_path)
    data, meta = pyreadstat.read_sav(str(path))
    assert meta.original_variable_types["started"].startswith("DATE")
    assert date(2026, 3, 21) in set(data["started"])
    dta, _ = _write(session, survey, "dta", "en", tmp_path)
    assert date(2026, 3, 21) in set(pyreadstat.read_dta(str(dta))[0]["started"])


def test_rds_has_factors_with_the_labels(session, survey, tmp_path):
    path, written = _write(session, survey, "rds", "ur", tmp_path)
    frame = pyreadr.read_r(str(path))[None]
    assert "پنجاب" in list(frame["province"].cat.categories)
    assert LONG_URDU in set(frame["policy_gaps"])
    marks = frame["information_sources_tv"]
    assert (marks.isin([0.0, 1.0]) | marks.isna()).all() and marks.sum() > 0
    assert any("variable labels" in note for note in written.notes)


def test_download_is_audited_uncached_and_for_organizers_only(client, session, survey):
    factories.login(client, factories.user(session, Role.admin))
    response = client.get(f"/admin/surveys/{SLUG}/export.sav?lang=ur")
    data = response.data
    response.close()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert f"{SLUG}-responses-ur-" in response.headers["Content-Disposition"]
    _, meta = pyreadstat.read_sav(_saved(data))
    assert "پنجاب" in meta.variable_value_labels["province"].values()
    event = session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert event.target == "responses" and event.detail["format"] == "sav"
    assert client.get(f"/admin/surveys/{SLUG}/export.por").status_code == 404


def _saved(data: bytes) -> str:
    import tempfile

    file = tempfile.NamedTemporaryFile(suffix=".sav", delete=False)  # noqa: SIM115
    file.write(data)
    file.close()
    return file.name


def test_the_command_writes_by_suffix_or_format_and_prints_the_notes(runner, session, survey,
                                                                   tmp_path):  # fmt: skip
    target = tmp_path / "out.dta"
    result = runner.invoke(args=["export", SLUG, str(target), "--lang", "ur"])
    assert result.exit_code == 0, result.output
    assert "Wrote 12 responses" in result.output and "strL" in result.output
    assert pyreadstat.read_dta(str(target))[0].shape[0] == 12
    other = tmp_path / "out.bin"
    result = runner.invoke(args=["export", SLUG, str(other), "--format", "sav"])
    assert result.exit_code == 0 and pyreadstat.read_sav(str(other))[0].shape[0] == 12
    refused = runner.invoke(args=["export", SLUG, str(target), "--codes"])
    assert refused.exit_code != 0 and "--codes" in refused.output


R = shutil.which("Rscript")


@pytest.mark.skipif(R is None, reason="R (Debian r-base-core, r-cran-haven) is not installed")
def test_r_haven_reads_the_labels_and_missing_codes(session, survey, tmp_path):
    sav, _ = _write(session, survey, "sav", "ur", tmp_path)
    rds, _ = _write(session, survey, "rds", "ur", tmp_path)
    script = (
        "library(haven); d <- read_sav(commandArgs(TRUE)[1], user_na = TRUE);"
        "cat(attr(d$coordination_agree, 'label'), '\\n');"
        "cat(names(attr(d$province, 'labels')), sep = '|'); cat('\\n');"
        "cat(sum(d$years_experience == -99, na.rm = TRUE), '\\n');"
        "cat(sum(is.na(zap_missing(d$years_experience))), '\\n');"
        "r <- readRDS(commandArgs(TRUE)[2]); cat(levels(r$province), sep = '|'); cat('\\n')"
    )
    out = subprocess.run(  # noqa: S603
        [R, "-e", script, str(sav), str(rds)],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    agree = next(q for q in survey.questions if q.code == "coordination_agree")
    assert survey.text(agree.label, "ur") in out
    lines = out.splitlines()
    assert "پنجاب" in lines[1].split("|") and "پنجاب" in lines[4].split("|")
    assert lines[2:4] == ["4 ", "5 "]  # 4 not applicable (user-missing), 5 missing in all


def test_an_identified_surveys_submission_time_is_a_datetime(session, tmp_path):
    survey = factories.small(session, anonymous=False)
    factories.answered(session, survey, {"group": "media", "agree": "4"})
    path, _ = _write(session, survey, "sav", "en", tmp_path)
    data, meta = pyreadstat.read_sav(str(path))
    assert meta.original_variable_types["submitted_at"].startswith("DATETIME")
    assert isinstance(data["submitted_at"][0], datetime)
    assert meta.variable_value_labels["agree"][4.0] == "point 4"


def test_responses_left_out_by_review_come_with_their_mark_when_asked(session, survey, tmp_path):
    from consult.analysis.filters import Filters
    from consult.collection.models import Response

    left_out = session.scalars(select(Response).where(Response.survey_id == survey.id)).first()
    left_out.excluded, left_out.exclusion_reason = True, "test entry"
    session.flush()
    path = tmp_path / "all.sav"
    written = statistical_file(session, survey, "en", "sav", path, Filters(with_excluded=True),
                               excluded=1)  # fmt: skip
    data, _ = pyreadstat.read_sav(str(path))
    assert len(data) == 12 and list(data["excluded"]).count("excluded: test entry") == 1
    assert "years_experience" in data.columns  # skip logic still read from the answers
    assert any("left out after review included" in note for note in written.notes)
    default, _ = _write(session, survey, "sav", "en", tmp_path)
    assert len(pyreadstat.read_sav(str(default))[0]) == 11

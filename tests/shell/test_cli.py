"""The consult command, as the contract in docs/architecture.md describes it."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from consult.accounts.models import User
from consult.accounts.roles import Role
from consult.collection.models import Answer, Response
from consult.exports.raw import raw_table
from consult.surveys.models import Survey


def test_init_loads_the_consultation_and_one_admin_and_is_idempotent(runner, session, app):
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "password:" in first.output
    assert Path(app.instance_path, "secret_key").stat().st_mode & 0o077 == 0  # owner-only
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and "password:" not in second.output
    assert session.scalar(select(func.count(Survey.id))) == 1
    assert session.scalar(select(func.count(User.id)).where(User.role == Role.admin)) == 1
    survey = session.scalar(select(Survey))
    assert survey.slug == "nisp-consultation" and survey.is_open
    assert len(survey.groups) == 6 and len(survey.recommendations) == 6


def test_create_user_with_password_on_stdin_and_membership(runner, session):
    runner.invoke(args=["init"])
    result = runner.invoke(
        args=[
            "create-user",
            "Org@Example.org",
            "--role",
            "organizer",
            "--password-stdin",
            "--survey",
            "nisp-consultation",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "org@example.org"))
    assert user.check_password("a long enough password") and user.memberships
    again = runner.invoke(args=["create-user", "org@example.org", "--role", "viewer"])
    assert again.exit_code != 0 and "exists already" in again.output


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-user", "x@example.org", "--role", "superuser"])
    assert result.exit_code == 2


def test_reset_password_prints_a_new_one(runner, session):
    runner.invoke(args=["init"])
    result = runner.invoke(args=["reset-password", "admin@example.org"])
    new = result.output.rsplit(": ", 1)[1].strip()
    assert session.scalar(select(User)).check_password(new)


def test_ten_thousand_responses_export_exactly_as_stored(runner, client, session, tmp_path, app):
    assert runner.invoke(args=["init"]).exit_code == 0
    result = runner.invoke(args=["fake-responses", "nisp-consultation", "10000", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count(Response.id))) == 10_000
    target = tmp_path / "out.xlsx"
    result = runner.invoke(args=["export", "nisp-consultation", str(target), "--codes"])
    assert result.exit_code == 0, result.output
    assert "Wrote 10000 responses" in result.output

    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("Responses").to_python()
    header, body = rows[0], rows[1:]
    assert len(body) == 10_000
    survey = session.scalar(select(Survey))
    # What is stored, answer by answer, against what the workbook says.
    stored: dict[str, dict[str, str]] = {}
    codes = {q.id: q for q in survey.questions}
    for public_id, qid, value in session.execute(
        select(Response.public_id, Answer.question_id, Answer.value).join(Answer)
    ):
        stored.setdefault(public_id, {})[codes[qid].code] = value
    column = {name: i for i, name in enumerate(header)}
    groups = {g.id: g.code for g in survey.groups}
    group_of = dict(session.execute(select(Response.public_id, Response.group_id)).all())
    for row in body:
        answers = stored[row[0]]
        assert row[column["group"]] == groups[group_of[row[0]]]
        assert row[column["province"]] == answers["province"]
        assert row[column["coordination_agree"]] == int(answers["coordination_agree"])
        assert (row[column["policy_gaps"]] or None) == answers.get("policy_gaps")
        ranking = answers["priority_ranking"].split()
        assert [row[column[f"priority_ranking/{code}"]] for code in ranking] == [1, 2, 3, 4, 5, 6]
        sources = answers.get("information_sources")  # unanswered: blank, not "not selected"
        for name, index in column.items():
            if name.startswith("information_sources/"):
                expected = "" if sources is None else int(name.split("/")[1] in sources.split())
                assert row[index] == expected
        years = answers.get("years_experience")
        assert row[column["years_experience"]] == (int(years) if years else "")

    # The same 10,000 through the web download: the organizer gets exactly the same workbook.
    from tests.factories import login

    login(client, session.scalar(select(User).where(User.role == Role.admin)))
    response = client.get("/admin/surveys/nisp-consultation/export.xlsx?codes=1")
    web = tmp_path / "web.xlsx"
    web.write_bytes(response.data)
    response.close()
    assert CalamineWorkbook.from_path(str(web)).get_sheet_by_name("Responses").to_python() == rows


def test_web_export_equals_cli_export(runner, client, session, tmp_path):
    runner.invoke(args=["init"])
    runner.invoke(args=["fake-responses", "nisp-consultation", "300", "--seed", "2"])
    admin = session.scalar(select(User))
    from tests.factories import login

    login(client, admin)
    response = client.get("/admin/surveys/nisp-consultation/export.xlsx")
    web = tmp_path / "web.xlsx"
    web.write_bytes(response.data)
    response.close()
    cli = tmp_path / "cli.xlsx"
    runner.invoke(args=["export", "nisp-consultation", str(cli)])
    read = lambda p: CalamineWorkbook.from_path(str(p)).get_sheet_by_name("Responses").to_python()  # noqa: E731
    assert read(web) == read(cli)
    survey = session.scalar(select(Survey))
    assert raw_table(session, survey, "en").count == 300


def test_export_of_an_unknown_survey_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["export", "nope", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and "No survey with the slug 'nope'" in result.output


def test_the_program_freezes_the_collector_before_python_shuts_down(monkeypatch, capsys):
    """`consult` (cli.run) leaves everything alive out of the shutdown's collection."""
    import gc

    from consult.cli import run

    monkeypatch.setattr("sys.argv", ["consult", "--help"])
    assert gc.get_freeze_count() == 0
    try:
        try:
            run()
        except SystemExit as done:
            assert done.code == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on
    assert "stakeholder consultations" in capsys.readouterr().out

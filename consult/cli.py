"""The ``consult`` command, a FlaskGroup over create_app (contract: docs/architecture.md)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import create_app, db
from .config import ensure_secret_key
from .i18n import direction
from .models import Channel, Role, Survey, SurveyState
from .services import invitations, migrations
from .services.definitions import builtin_definition, create_survey
from .services.exports import Filters, codebook, raw_table
from .services.responses import add_fake_responses
from .services.users import (
    UserExists,
    add_member,
    admin_count,
    create_user,
    find_user,
    generate_password,
)
from .services.workbooks import SheetWriter, workbook, write_raw

FIRST_ADMIN = "admin@example.org"


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """consult: stakeholder consultations."""


def run() -> None:
    """The ``consult`` program (pyproject's script): ``main``, then a quick exit.

    Python's shutdown runs the cyclic collector over everything still alive (Flask,
    SQLAlchemy, pandas once loaded): 0.2-0.4 s after an export, for objects the operating
    system frees at once anyway. Frozen first, they are left out of it (exit in ~0.03 s).
    Tests call ``main`` and keep their collector as it was.
    """
    try:
        main()
    finally:
        gc.freeze()


@click.group("consult", cls=AppGroup)
def commands() -> None:
    """The project's commands; registered on every app's ``flask``/``consult`` command line."""


def init_app(app: Flask) -> None:
    for command in commands.commands.values():
        app.cli.add_command(command)


def _survey(slug: str) -> Survey:
    survey = db.session().scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        raise click.ClickException(f"No survey with the slug {slug!r}.")
    return survey


@commands.command()
def init() -> None:
    """Migrate, generate the secret key, load the NISP consultation, create a first admin."""
    if ensure_secret_key(Path(current_app.instance_path)):
        click.echo(f"Generated a secret key in {current_app.instance_path}.")
    migrations.upgrade(db.database().engine)
    session = db.session()
    if session.scalar(select(Survey).where(Survey.slug == "nisp-consultation")) is None:
        create_survey(session, builtin_definition(), state=SurveyState.open)
        click.echo("Loaded the NISP consultation: /s/nisp-consultation")
    password = None
    if admin_count(session) == 0:
        password = generate_password()
        create_user(session, FIRST_ADMIN, Role.admin, password)
    session.commit()
    if password:
        click.echo("")
        click.echo("First admin created. This password is shown once only:")
        click.echo(f"  e-mail:   {FIRST_ADMIN}")
        click.echo(f"  password: {password}")
        click.echo("")


@commands.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--survey", "surveys", multiple=True, help="Make the user a member of this survey.")
def create_user_command(
    email: str, role: str, password_stdin: bool, surveys: tuple[str, ...]
) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    session = db.session()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 10:
            raise click.ClickException("The password must have at least 10 characters.")
    else:
        password = generate_password()
    try:
        user = create_user(session, email, Role(role), password)
    except UserExists:
        raise click.ClickException(f"An account for {email} exists already.") from None
    for slug in surveys:
        add_member(session, _survey(slug), user)
    session.commit()
    click.echo(f"Created {role} {user.email}.")
    if not password_stdin:
        click.echo(f"Password (shown once): {password}")


@commands.command("reset-password")
@click.argument("email")
def reset_password(email: str) -> None:
    """Give an account a new generated password, printed once."""
    session = db.session()
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    password = generate_password()
    user.set_password(password)
    session.commit()
    click.echo(f"New password for {user.email} (shown once): {password}")


@commands.command("fake-responses")
@click.argument("slug")
@click.argument("count", type=click.IntRange(min=1))
@click.option("--seed", type=int, default=None, help="Same seed, same responses.")
def fake_responses(slug: str, count: int, seed: int | None) -> None:
    """Add COUNT synthetic but valid responses (channel 'synthetic'), for demos and benchmarks."""
    session = db.session()
    survey = _survey(slug)
    with click.progressbar(length=count, label="Adding responses", file=sys.stderr) as bar:
        done = 0
        for total in add_fake_responses(session, survey, count, seed=seed):
            bar.update(total - done)
            done = total
    session.commit()
    click.echo(f"Added {count} responses to {slug}.")


@commands.command()
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--summary", is_flag=True, help="The summary workbook instead of raw responses.")
@click.option("--codes", is_flag=True, help="Choice codes instead of labels.")
@click.option("--lang", default=None, help="Language of labels (default: the survey's first).")
@click.option("--channel", type=click.Choice([c.value for c in Channel]), help="Only this channel.")
@click.option("--language", "answered_in", help="Only responses given in this language.")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="From this day.")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="Up to this day.")
def export(
    slug: str,
    file: Path,
    summary: bool,
    codes: bool,
    lang: str | None,
    channel: str | None,
    answered_in: str | None,
    since: datetime | None,
    until: datetime | None,
) -> None:
    """Write the responses of SLUG to an .xlsx FILE, with a progress bar on a terminal."""
    session = db.session()
    survey = _survey(slug)
    if lang is not None and lang not in survey.languages:
        raise click.ClickException(
            f"{slug} is written in {', '.join(survey.languages)}, not {lang}."
        )
    lang = lang or survey.default_language
    if answered_in is not None and answered_in not in survey.languages:
        raise click.ClickException(f"--language: {slug} has no language {answered_in!r}.")
    if since and until and since > until:
        raise click.ClickException("--from is after --to.")
    filters = Filters(
        channel=channel,
        language=answered_in,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    with _startup_frozen():
        _export(session, survey, lang, file, summary, codes, filters)


@contextmanager
def _startup_frozen() -> Iterator[None]:
    """Keep what start-up made (modules, the app, the survey) out of the cyclic collector's way
    while the export runs: it makes millions of short-lived lists, and each full collection
    would walk every long-lived object again (100,000 NISP responses: 0.2-0.4 s less). The
    forked reader and helper also leave those pages shared instead of touching them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _export(
    session: Session,
    survey: Survey,
    lang: str,
    file: Path,
    summary: bool,
    codes: bool,
    filters: Filters,
) -> None:
    if summary:
        # Imported here: pandas and openpyxl load only for the commands that need them.
        from .services.summary import summary_workbook

        done = summary_workbook(session, survey, lang, str(file), filters)
        click.echo(f"Wrote the summary of {done.total} responses to {file}.")
        return
    # A read-only command: a large table may be read by a forked process (services/forked.py).
    table = raw_table(
        session,
        survey,
        lang,
        codes=codes,
        filters=filters if filters.active else None,
        reader=True,
    )
    with click.progressbar(length=table.count, label="Exporting", file=sys.stderr) as bar:
        write_raw(str(file), table, codebook(survey, lang), direction(lang) == "rtl", bar.update)
    click.echo(f"Wrote {table.count} responses to {file}.")


@commands.command("import-responses")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_responses_command(slug: str, file: Path) -> None:
    """Add the responses in FILE (.xlsx in the raw export layout) to SLUG: all rows or none."""
    from .services.imports import ImportRefused, import_responses  # loads openpyxl: see export

    session = db.session()
    survey = _survey(slug)
    try:
        count = import_responses(session, survey, str(file))
    except ImportRefused as refused:
        session.rollback()
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        if refused.more:
            click.echo(f"  … and {refused.more} more.", err=True)
        raise click.ClickException(f"Nothing imported from {file}: fix the rows above.") from None
    session.commit()
    click.echo(f"Imported {count} responses into {slug}.")


@commands.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="The new survey's slug (default: the form_id setting).")
@click.option("--open", "open_now", is_flag=True, help="Open the survey at once (default: draft).")
@click.option(
    "--skip-unsupported", is_flag=True, help="Leave out what consult does not support, and list it."
)
def import_xlsform_command(
    file: Path, slug: str | None, open_now: bool, skip_unsupported: bool
) -> None:
    """Create a survey from the XLSForm FILE (.xlsx): all of it, or nothing."""
    from .services.xlsform import import_xlsform  # loads openpyxl: see export
    from .services.xlsform_read import XLSFormError

    session = db.session()
    try:
        imported = import_xlsform(
            session,
            file.read_bytes(),
            slug=slug,
            state=SurveyState.open if open_now else SurveyState.draft,
            skip_unsupported=skip_unsupported,
            fallback_name=file.stem,
        )
    except XLSFormError as error:
        session.rollback()
        raise click.ClickException(f"Nothing imported from {file}: {error}") from None
    session.commit()
    for left_out in imported.skipped:
        click.echo(f"  left out: {left_out}", err=True)
    survey = imported.survey
    click.echo(
        f"Imported {survey.slug} ({survey.state}): {len(survey.questions)} questions"
        f" in {len(survey.sections)} sections."
    )


@commands.command("export-xlsform")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_xlsform_command(slug: str, file: Path) -> None:
    """Write survey SLUG to FILE as an XLSForm (.xlsx), to edit in Excel or run in KoboToolbox."""
    from .services.xlsform_export import write_xlsform

    write_xlsform(_survey(slug), str(file))
    click.echo(f"Wrote {slug} to {file}.")


@commands.command("invitations")
@click.argument("slug")
@click.option("--group", "group_code", help="Stakeholder group code the invitations are for.")
@click.option("--count", type=click.IntRange(1, 100_000), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=".xlsx or .csv")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Last day they work.")
def invitations_command(
    slug: str, group_code: str | None, count: int, out: Path | None, expires: Any
) -> None:
    """Make COUNT single-use invitations; print one /i/<token> link each, or write them to FILE."""
    session = db.session()
    survey = _survey(slug)
    group = next((g for g in survey.groups if g.code == group_code), None)
    if group is None and (group_code or survey.groups):
        codes = ", ".join(g.code for g in survey.groups)
        raise click.ClickException(f"Give --group, one of: {codes}.")
    made = invitations.create_invitations(
        session,
        survey,
        [invitations.Invitee(group=group)] * count,
        expires.date() if expires else None,
    )
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    links = [f"{base}/i/{token}" for _, token in made]
    session.commit()
    if out is None:
        click.echo("\n".join(links))
        return
    if out.suffix.lower() == ".csv":
        out.write_text("group,link\n" + "".join(f"{group_code},{link}\n" for link in links))
    else:
        book = workbook(str(out))
        writer = SheetWriter(book, "Invitations", rtl=False)
        writer.header(["group", "link"])
        for link in links:
            writer.write([group_code, link])
        book.close()
    click.echo(f"Wrote {count} invitation links to {out}.", err=True)


@commands.group("db")
def db_group() -> None:
    """Schema migrations (developers)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    migrations.upgrade(db.database().engine, revision)


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    migrations.downgrade(db.database().engine, revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models against the current database."""
    migrations.revision(db.database().engine, message)

"""``consult export``: the raw responses or the summary workbook to a file."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from consult import db
from consult.analysis.filters import Filters, province_codes
from consult.collection.models import Channel
from consult.exports.brief.render import policy_brief
from consult.exports.raw import codebook, raw_table
from consult.exports.statfiles import FORMATS
from consult.exports.summary.workbook import summary_workbook
from consult.i18n import direction
from consult.spreadsheets.workbooks import write_raw
from consult.surveys.loading import command_survey
from consult.surveys.models import Survey


@click.command()
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--summary", is_flag=True, help="The summary workbook instead of raw responses.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", *FORMATS]),
    default=None,
    help="xlsx (default), or the raw responses as SPSS (sav), Stata (dta) or R (rds); "
    "default: FILE's suffix when it is one of these.",
)
@click.option("--codes", is_flag=True, help="Choice codes instead of labels.")
@click.option("--lang", default=None, help="Language of labels (default: the survey's first).")
@click.option("--channel", type=click.Choice([c.value for c in Channel]), help="Only this channel.")
@click.option("--language", "answered_in", help="Only responses given in this language.")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="From this day.")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="Up to this day.")
@with_appcontext
def export(
    slug: str,
    file: Path,
    summary: bool,
    fmt: str | None,
    codes: bool,
    lang: str | None,
    channel: str | None,
    answered_in: str | None,
    since: datetime | None,
    until: datetime | None,
) -> None:
    """Write the responses of SLUG to an .xlsx FILE (with a progress bar on a terminal), or to
    an SPSS, Stata or R file with labels (--format)."""
    session = db.session()
    survey = command_survey(slug)
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
    fmt = fmt or (file.suffix[1:] if file.suffix[1:] in FORMATS else "xlsx")
    if fmt != "xlsx" and (summary or codes):
        raise click.ClickException(
            f"--format {fmt} writes the raw responses with codes and labels both: "
            "leave out --summary and --codes."
        )
    with _startup_frozen():
        if fmt != "xlsx":
            _statistical(session, survey, lang, file, fmt, filters)
        else:
            _export(session, survey, lang, file, summary, codes, filters)


def _statistical(
    session: Session, survey: Survey, lang: str, file: Path, fmt: str, filters: Filters
) -> None:
    from consult.exports.statwriters import statistical_file  # loads pandas and pyreadstat

    written = statistical_file(session, survey, lang, fmt, file,
                               filters if filters.active else None, reader=True)  # fmt: skip
    for note in written.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"Wrote {written.count} responses to {file}.")


@contextmanager
def _startup_frozen() -> Iterator[None]:
    """Keep what start-up made (modules, the app, the survey) out of the cyclic collector's way
    while the export runs: it makes millions of short-lived lists, and each full collection
    would walk every long-lived object again (docs/performance.md). The
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
        done = summary_workbook(session, survey, lang, str(file), filters)
        click.echo(f"Wrote the summary of {done.total} responses to {file}.")
        return
    # A read-only command: a large table may be read by a forked process (exports/forked.py).
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


@click.command("brief")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--lang", default=None, help="ur or en (default: the survey's first language).")
@click.option("--group", "group", default=None, help="Only this stakeholder group (its code).")
@click.option("--province", default=None, help="Only this province or region (its code).")
@click.option("--channel", type=click.Choice([c.value for c in Channel]), help="Only this channel.")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="From this day.")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="Up to this day.")
@with_appcontext
def brief(
    slug: str,
    file: Path,
    lang: str | None,
    group: str | None,
    province: str | None,
    channel: str | None,
    since: datetime | None,
    until: datetime | None,
) -> None:
    """Write the policy brief of SLUG to a PDF FILE (Urdu or English), with charts."""
    survey = command_survey(slug)
    if lang is not None and lang not in survey.languages:
        raise click.ClickException(
            f"{slug} is written in {', '.join(survey.languages)}, not {lang}."
        )
    if group is not None and group not in {g.code for g in survey.groups}:
        raise click.ClickException(f"There is no stakeholder group {group}.")
    if province is not None and province not in province_codes(survey):
        raise click.ClickException(f"There is no province or region {province}.")
    if since and until and since > until:
        raise click.ClickException("--from is after --to.")
    filters = Filters(
        channel=channel,
        since=since.date() if since else None,
        until=until.date() if until else None,
        group=group,
        province=province,
    )
    done = policy_brief(db.session(), survey, lang or survey.default_language, str(file), filters)
    click.echo(f"Wrote the brief of {done.summary.total} responses to {file}.")


COMMANDS = [export, brief]

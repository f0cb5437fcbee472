"""``consult themes seed|run|export`` (a contract other tools script: docs/themes.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from consult import db
from consult.problems import Refusal
from consult.surveys.loading import command_survey


@click.group("themes")
def themes() -> None:
    """Themes of the open comments: seed them, run the theming job, export the result."""


@themes.command("seed")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def seed_command(slug: str, file: Path) -> None:
    """Add or change SLUG's themes from FILE.xlsx (sheet themes; sheet Assignments too, as
    `consult themes export` writes it). All or nothing."""
    from consult.analysis.themes.seeding import read_sheets, seed

    session = db.session()
    survey = command_survey(slug)
    try:
        saved, comments = seed(session, survey, read_sheets(file.read_bytes()))
    except Refusal as refusal:
        session.rollback()
        raise click.ClickException("\n".join(refusal.messages())) from None
    session.commit()
    click.echo(f"Saved {saved} themes" + (f" and the themes of {comments} comments." if comments
                                          else "."))  # fmt: skip


class _Bar:
    """A progress bar on standard error, made when the job knows its total."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label="Theming", file=sys.stderr)
            self.bar.__enter__()
        self.bar.label = f"Theming ({phase})"
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@themes.command("run")
@click.argument("slug")
@click.option("--suggest", is_flag=True, help="Also suggest candidate themes (clusters).")
@click.option("--queue", is_flag=True, help="Hand the job to `consult worker` and return.")
@with_appcontext
def run_command(slug: str, suggest: bool, queue: bool) -> None:
    """Embed SLUG's new comments and propose themes for those not yet reviewed, here with a
    progress bar (or in the worker with --queue). Refused while a run is going on."""
    from consult.analysis.themes import runs, tasks

    session = db.session()
    survey = command_survey(slug)
    try:
        runs.request(session, survey.id, suggest, tasks.stale_seconds())
    except Refusal as refusal:
        raise click.ClickException(refusal.messages()[0]) from None
    session.commit()
    if queue:
        tasks.theme_survey(survey.id)
        click.echo(f"Queued: the worker themes {slug}; its page shows the progress.")
        return
    bar = _Bar()
    try:
        outcome = tasks.execute(survey.id, progress=bar)
    except Exception as error:  # noqa: BLE001 - recorded on the run; said plainly here
        raise click.ClickException(f"Theming failed: {error}") from None
    finally:
        bar.close()
    if outcome is None:
        raise click.ClickException("Another job took this run; see the survey's themes page.")
    click.echo(
        f"Embedded {outcome.embedded} new texts; {outcome.proposed} of {outcome.comments} "
        "comments not yet reviewed were given themes."
    )


@themes.command("export")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(slug: str, file: Path) -> None:
    """Write SLUG's themes and each comment's themes to FILE.xlsx (sheets themes, Assignments)."""
    from consult.analysis.themes.exporting import write_export

    count = write_export(db.session(), command_survey(slug), str(file))
    click.echo(f"Wrote the themes of {count} comments to {file}.")


COMMANDS = [themes]

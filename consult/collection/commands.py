"""Commands for responses: ``consult fake-responses``, ``consult import-responses``,
``consult purge``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from consult import db
from consult.collection.synthetic import add_fake_responses
from consult.problems import Refusal
from consult.surveys.loading import command_survey


@click.command("fake-responses")
@click.argument("slug")
@click.argument("count", type=click.IntRange(min=1))
@click.option("--seed", type=int, default=None, help="Same seed, same responses.")
@with_appcontext
def fake_responses(slug: str, count: int, seed: int | None) -> None:
    """Add COUNT synthetic but valid responses (channel 'synthetic'), for demos and benchmarks."""
    session = db.session()
    survey = command_survey(slug)
    with click.progressbar(length=count, label="Adding responses", file=sys.stderr) as bar:
        done = 0
        for total in add_fake_responses(session, survey, count, seed=seed):
            bar.update(total - done)
            done = total
    session.commit()
    click.echo(f"Added {count} responses to {slug}.")


@click.command("import-responses")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_responses_command(slug: str, file: Path) -> None:
    """Add the responses in FILE (.xlsx in the raw export layout) to SLUG: all rows or none."""
    from consult.collection.imports import import_responses

    session = db.session()
    survey = command_survey(slug)
    try:
        count = import_responses(session, survey, str(file))
    except Refusal as refused:
        session.rollback()
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        if refused.more:
            click.echo(f"  … and {refused.more} more.", err=True)
        raise click.ClickException(f"Nothing imported from {file}: fix the rows above.") from None
    session.commit()
    click.echo(f"Imported {count} responses into {slug}.")


@click.command("purge-drafts")
@with_appcontext
def purge_drafts() -> None:
    """Delete saved, unfinished responses whose resume code has expired (also run nightly)."""
    from consult.collection.drafts import purge_expired

    session = db.session()
    purged = purge_expired(session)
    session.commit()
    click.echo(f"Purged {purged} expired drafts.")


@click.command("purge")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def purge(slug: str, yes: bool) -> None:
    """Delete every response, draft and invitation of SLUG now (the survey itself stays)."""
    from consult.collection import retention

    session = db.session()
    survey = command_survey(slug)
    counts = retention.held(session, survey)
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    if not yes:
        click.confirm(f"Delete {summary} of {slug} for good?", abort=True)
    retention.purge(session, survey, why="consult purge")
    session.commit()
    click.echo(f"Deleted {summary} of {slug}.")


COMMANDS = [fake_responses, import_responses_command, purge_drafts, purge]

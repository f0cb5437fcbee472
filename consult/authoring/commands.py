"""XLSForm on the command line: ``consult import-xlsform`` and ``consult export-xlsform``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from consult import db
from consult.surveys.loading import command_survey
from consult.surveys.models import SurveyState


@click.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="The new survey's slug (default: the form_id setting).")
@click.option("--open", "open_now", is_flag=True, help="Open the survey at once (default: draft).")
@click.option(
    "--skip-unsupported", is_flag=True, help="Leave out what consult does not support, and list it."
)
@with_appcontext
def import_xlsform_command(
    file: Path, slug: str | None, open_now: bool, skip_unsupported: bool
) -> None:
    """Create a survey from the XLSForm FILE (.xlsx): all of it, or nothing."""
    from consult.authoring.xlsform.convert import import_xlsform
    from consult.authoring.xlsform.read import XLSFormError

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
    for warning in imported.warnings:
        click.echo(f"  warning: {warning}", err=True)
    survey = imported.survey
    click.echo(
        f"Imported {survey.slug} ({survey.state}): {len(survey.questions)} questions"
        f" in {len(survey.sections)} sections."
    )


@click.command("export-xlsform")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_xlsform_command(slug: str, file: Path) -> None:
    """Write survey SLUG to FILE as an XLSForm (.xlsx), to edit in Excel or run in KoboToolbox."""
    from consult.authoring.xlsform.write import write_xlsform

    write_xlsform(command_survey(slug), str(file))
    click.echo(f"Wrote {slug} to {file}.")


COMMANDS = [import_xlsform_command, export_xlsform_command]

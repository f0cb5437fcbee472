"""``consult invitations``: single-use invitation links, printed or written to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from consult import db
from consult.collection import invitations
from consult.spreadsheets.workbooks import SheetWriter, workbook
from consult.surveys.loading import command_survey


@click.command("invitations")
@click.argument("slug")
@click.option("--group", "group_code", help="Stakeholder group code the invitations are for.")
@click.option("--count", type=click.IntRange(1, 100_000), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=".xlsx or .csv")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Last day they work.")
@with_appcontext
def invitations_command(
    slug: str, group_code: str | None, count: int, out: Path | None, expires: Any
) -> None:
    """Make COUNT single-use invitations; print one /i/<token> link each, or write them to FILE."""
    session = db.session()
    survey = command_survey(slug)
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


COMMANDS = [invitations_command]

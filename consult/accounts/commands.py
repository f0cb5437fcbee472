"""Commands for accounts: ``consult create-user`` and ``consult reset-password``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from consult import db
from consult.accounts.passwords import check_new_password
from consult.accounts.roles import Role
from consult.accounts.team import reset_password as reset_password_of
from consult.accounts.users import (
    UserExists,
    add_member,
    create_user,
    find_user,
    generate_password,
)
from consult.problems import Refusal
from consult.surveys.loading import command_survey


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--survey", "surveys", multiple=True, help="Make the user a member of this survey.")
@with_appcontext
def create_user_command(
    email: str, role: str, password_stdin: bool, surveys: tuple[str, ...]
) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    session = db.session()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        try:
            check_new_password(password, email)
        except Refusal as refusal:
            raise click.ClickException(" ".join(refusal.messages())) from None
    else:
        password = generate_password()
    try:
        user = create_user(session, email, Role(role), password)
    except UserExists:
        raise click.ClickException(f"An account for {email} exists already.") from None
    for slug in surveys:
        add_member(session, command_survey(slug), user)
    session.commit()
    click.echo(f"Created {role} {user.email}.")
    if not password_stdin:
        click.echo(f"Password (shown once): {password}")


@click.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password(email: str) -> None:
    """Give an account a new generated password, printed once."""
    session = db.session()
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    password = generate_password()
    reset_password_of(session, user, password)  # every session of the account ends
    session.commit()
    click.echo(f"New password for {user.email} (shown once): {password}")


COMMANDS = [create_user_command, reset_password]

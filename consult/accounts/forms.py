"""The forms of signing in, signing up, the account page and the team page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from consult.forms import clean_typed_text


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        filters=[clean_typed_text],
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )


class TwoStepForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        filters=[clean_typed_text],
        validators=[DataRequired(_l("Enter the six-digit code.")), Length(max=12)],
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("New password (at least 10 characters)"),
            validators=[DataRequired(_l("Choose a password.")), Length(max=200)],
        ),
        PasswordField(
            _l("The new password again"),
            validators=[DataRequired(_l("Type the password again.")), Length(max=200)],
        ),
    )


class SignUpForm(FlaskForm):
    password, confirm = _new_password_fields()


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=200)],
    )
    password, confirm = _new_password_fields()


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language of the pages"), choices=[], validate_choice=True)


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail of the colleague"),
        filters=[clean_typed_text],
        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)],
    )
    role = SelectField(_l("Role"), choices=[], validate_choice=True)


class TokenForm(FlaskForm):
    """A new personal API token (accounts/tokens.py)."""

    name = StringField(
        _l("Name (what the token is for)"),
        filters=[clean_typed_text],
        validators=[DataRequired(_l("Give the token a name.")), Length(max=80)],
    )
    access = SelectField(
        _l("Access"),
        choices=[
            SelectChoice(value="read", label=_l("Read only")),
            SelectChoice(value="write", label=_l("Read and write")),
        ],
        validate_choice=True,
    )
    surveys = SelectMultipleField(
        _l("Surveys (none chosen: all your surveys)"), choices=[], coerce=int,
        validate_choice=True,
    )  # fmt: skip

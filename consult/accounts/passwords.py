"""Passwords people choose: long enough, not on a list of common ones, not the e-mail.

Hashing is scrypt (werkzeug, ``User.set_password``). The list of common passwords is the one
zxcvbn ships (30,000 passwords seen most often in leaks), read once per process.
"""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _

from consult.problems import Refusal

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_new_password(password: str, email: str = "", field: str = "password") -> None:
    """Refusal (beside ``field``) when ``password`` is too short, too long or too common."""
    if len(password) < MIN_LENGTH:
        raise Refusal.at(
            field, _("Use at least %(n)d characters: a few words make a good one.", n=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise Refusal.at(field, _("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    local = email.lower().partition("@")[0]
    if lowered in common_passwords() or (local and local in lowered) or len(set(lowered)) < 4:
        raise Refusal.at(
            field, _("This password is too common or too easy to guess: choose another.")
        )

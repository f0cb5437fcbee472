"""One home for every code pattern: survey addresses, question and choice codes, languages,
the names reserved for the raw export's fixed columns, and the respondent form's field names."""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


# Names as XLSForm allows them (KoboToolbox and ODK users write Q1, HH_Size, _consent, a-b.c):
# a letter or "_" first, then letters, digits, "_", "-" and "."; kept exactly, case-sensitive.
# Questions, pages, stakeholder groups and recommendations are named this way.
CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")


# Choice codes may be numbers or mixed case, as XLSForm lists often are (1 = yes, 0 = no);
# never a space (multiple choice answers are space-separated).
CHOICE_CODE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")


# Column names of the raw export that come before the questions' own (surveys/columns.py), and
# names the respondent form uses itself: no question may be named so.
RESERVED = frozenset(
    {"response_id", "submitted_at", "group", "language", "channel", "nonce", "csrf_token",
     "page", "page_at", "save", "lang"}
)  # fmt: skip


# The respondent form's fields are "q_" + the code; a field's parts (the "other" text, a
# ranking's items) follow a "-". A "-" inside a code becomes "~" (never part of a code), so the
# first "-" after the prefix always starts a part.
FIELD_PREFIX = "q_"


def field_name(code: str) -> str:
    return FIELD_PREFIX + code.replace("-", "~")


def field_base(name: str) -> str:
    """The field a posted name belongs to (``q_a~b-other`` → ``q_a~b``)."""
    return name.split("-", 1)[0]

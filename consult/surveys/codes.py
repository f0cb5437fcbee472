"""One home for every code pattern: survey addresses, question and choice codes, languages."""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


# Choice codes may be numbers or mixed case, as XLSForm lists often are (1 = yes, 0 = no);
# never a space (multiple choice answers are space-separated).
CHOICE_CODE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")

"""Forms every part of consult shares: the empty form of a POST-only button, and the filter that
cleans what people type."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm

# Control characters nobody types on purpose (tab and line breaks stay); PostgreSQL refuses NUL.
TYPED_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PostForm(FlaskForm):
    """An empty form: a POST-only button that still carries a CSRF token."""


def clean_typed_text(value: Any) -> Any:
    """A WTForms filter: typed text without control characters and surrounding blanks."""
    if isinstance(value, str):
        return TYPED_CONTROLS.sub("", value).strip()
    return value

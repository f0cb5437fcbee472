"""Small types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

# {language code: text}
I18n = dict[str, str]


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL ``timestamp without time zone`` columns."""
    return datetime.now(UTC).replace(tzinfo=None)

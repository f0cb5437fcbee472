"""Pages of responses for the API: the raw export's rows (exports/raw.py), as JSON objects.

The same table as the workbook, column for column, so an anonymous survey's API output holds
nothing the raw export would not (docs/privacy.md): the random public id, the day only, no
internal id. The cursor is the last row's order key, signed so that a client cannot forge one
(and opaque: it is a token to send back, nothing to read).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.exports.raw import Page, raw_table
from consult.spreadsheets.tables import Cell
from consult.surveys.models import Survey

SALT = "api-responses-cursor"


class BadCursor(ValueError):
    """A cursor this server did not give for this survey."""


def encode_cursor(secret: str, survey: Survey, key: tuple[Any, ...]) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    return str(URLSafeSerializer(secret, salt=SALT).dumps([survey.id, values]))


def decode_cursor(secret: str, survey: Survey, cursor: str) -> tuple[Any, ...]:
    try:
        survey_id, values = URLSafeSerializer(secret, salt=SALT).loads(cursor)
    except (BadSignature, ValueError, TypeError) as error:
        raise BadCursor(cursor) from error
    if survey_id != survey.id or not isinstance(values, list):
        raise BadCursor(cursor)
    if survey.anonymous:
        return (values[0],)
    return (datetime.fromisoformat(values[0]), values[1])


def page_of_responses(
    session: Session, survey: Survey, lang: str, codes: bool, filters: Filters,
    limit: int, after: tuple[Any, ...] | None, secret: str,
) -> dict[str, Any]:  # fmt: skip
    """One page: its rows as {column: value}, every column's name, the count under the
    filters, and the cursor of the next page (None after the last)."""
    table = raw_table(session, survey, lang, codes=codes, filters=filters,
                      page=Page(limit=limit, after=after))  # fmt: skip
    rows = list(table.rows)
    headers = table.headers
    responses = [dict(zip(headers, row, strict=True)) for row in rows]
    more = len(rows) == limit
    cursor = encode_cursor(secret, survey, Page.key(survey, rows[-1])) if more else None
    return {"responses": responses, "columns": headers, "count": table.count,
            "next_cursor": cursor}  # fmt: skip


def page_json(page: dict[str, Any]) -> str:
    """The page as JSON, dates and times in ISO 8601.

    Encoded here rather than by its marshmallow schema: walking 1,000 rows of ~100 cells
    field by field took half of the request (bench/api.py). The schema still documents the
    page, and schemathesis checks that what is sent conforms to it.
    """
    return json.dumps(page, ensure_ascii=False, separators=(",", ":"), default=_iso)


def _iso(cell: Cell) -> str:
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    raise TypeError(f"not JSON: {type(cell).__name__}")

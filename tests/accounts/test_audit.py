"""The audit trail: append-only in the database itself, a page with filters, an export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from consult.accounts.audit import Action, AuditEvent, record
from consult.accounts.roles import Role
from tests import factories


def test_rows_cannot_be_changed_or_deleted(session, connection):
    event = record(session, None, Action.backup, target="x.sqlite")
    for statement in (f"UPDATE audit_event SET actor = 'someone' WHERE id = {event.id}",
                      f"DELETE FROM audit_event WHERE id = {event.id}"):  # fmt: skip
        nested = connection.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text(statement))
        nested.rollback()
    event.actor = "someone"
    with pytest.raises(PermissionError):
        session.flush()
    session.rollback()


def test_the_page_filters_and_the_export_holds_the_same_events(client, session):
    survey = factories.small(session)
    admin = factories.user(session, Role.admin, email="boss@example.org")
    record(session, admin, Action.export, survey, target="responses")
    record(session, admin, Action.response_excluded, survey, target="abc123", reason="speeder")
    record(session, None, Action.backup, target="nightly.sqlite")
    factories.login(client, admin)
    page = client.get("/admin/audit/?action=response+excluded").get_data(as_text=True)
    assert "abc123" in page and "speeder" in page and "nightly.sqlite" not in page
    page = client.get(f"/admin/audit/?survey={survey.slug}").get_data(as_text=True)
    assert "abc123" in page and "nightly.sqlite" not in page
    download = client.get("/admin/audit/audit.xlsx?actor=boss")
    assert download.headers["Cache-Control"] == "no-store"
    data = download.data
    download.close()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("at (UTC)", "actor", "action")
    assert [r[2] for r in rows[1:]] == ["export", "response excluded", "audit export"]
    # The export itself was recorded.
    assert session.query(AuditEvent).filter_by(action="audit export").count() == 1


def test_organizers_may_not_see_the_trail(client, session):
    factories.login(client, factories.user(session, Role.organizer))
    assert client.get("/admin/audit/").status_code == 403

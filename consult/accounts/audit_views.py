"""The audit trail's page (filters, pages of 100) and its export, for admins."""

from __future__ import annotations

import tempfile

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from consult import db
from consult.accounts import audit
from consult.accounts.access import admins_only
from consult.accounts.audit import Action, AuditEvent, record
from consult.forms import PostForm
from consult.spreadsheets.workbooks import XLSX, SheetWriter, workbook

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PAGE = 100
FILTER_ARGS = ("action", "actor", "survey", "from", "to")


@bp.get("/")
@admins_only
def page() -> str:
    sess = db.session()
    filters = audit.parse_filters(request.args)
    number = max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    total = audit.event_count(sess, filters)
    slugs = sess.scalars(
        select(AuditEvent.survey_slug).where(AuditEvent.survey_slug.is_not(None)).distinct()
    )
    return render_template(
        "admin/audit.html",
        events=audit.events(sess, filters, PAGE, (number - 1) * PAGE),
        total=total,
        number=number,
        pages=max(1, -(-total // PAGE)),
        filters=filters,
        actions=[a.value for a in Action],
        slugs=sorted(s for s in slugs if s),
        query={k: v for k, v in request.args.items() if k in FILTER_ARGS and v},
        describe=audit.describe,
        logout_form=PostForm(),
    )


@bp.get("/audit.xlsx")
@admins_only
def export() -> Response:
    """Every event under the page's filters, oldest first (the export itself is recorded)."""
    sess = db.session()
    filters = audit.parse_filters(request.args)
    shown = {k: v for k, v in request.args.items() if k in FILTER_ARGS and v}
    record(sess, current_user, Action.audit_export, filters=shown or "none")
    sess.commit()
    book_file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    book = workbook(book_file)
    writer = SheetWriter(book, "Audit", rtl=False)
    writer.header(audit.EXPORT_HEADERS)
    for row in audit.export_rows(sess, filters):
        writer.write(row)
    book.close()
    book_file.seek(0)
    response = send_file(
        book_file, mimetype=XLSX, as_attachment=True, download_name="consult-audit.xlsx"
    )
    response.headers["Cache-Control"] = "no-store"
    return response

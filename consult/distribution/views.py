"""Organizers reach stakeholders: invitations, QR codes for group links, the live monitor."""

from __future__ import annotations

import io
import tempfile
from datetime import date

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.audit import Action, record
from consult.accounts.roles import ORGANIZERS, STAFF
from consult.collection import invitations
from consult.collection.pending import pending_uses
from consult.distribution import invitation_lists, monitoring, qrcards
from consult.forms import PostForm
from consult.i18n import NATIVE_NAMES, content_language
from consult.problems import Refusal
from consult.security import body_limit
from consult.spreadsheets.tables import Row, Table
from consult.spreadsheets.uploads import LIST_LIMITS, read_table
from consult.spreadsheets.workbooks import XLSX, SheetWriter, workbook
from consult.surveys.models import StakeholderGroup, Survey

bp = Blueprint("distribute", __name__, url_prefix="/admin/surveys/<slug>")

MAX_GENERATE = 10_000
# An SVG opened as a page of its own: no script, its own inline style and embedded font only.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:"


def invitation_link(token: str) -> str:
    return url_for("take.invitation", token=token, _external=True)


def _group(survey: Survey, code: str | None) -> StakeholderGroup | None:
    return next((g for g in survey.groups if g.code == code), None)


@bp.get("/invitations")
@survey_roles(*ORGANIZERS)
def invitations_page(survey: Survey) -> str:
    lang = survey.default_language
    return render_template(
        "admin/invitations.html",
        survey=survey,
        counts=invitation_lists.invitation_counts(db.session(), survey, lang, pending_uses()),
        recent=invitation_lists.recent_invitations(db.session(), survey),
        form=PostForm(),
        logout_form=PostForm(),
        errors=[],
    )


@bp.post("/invitations/generate")
@survey_roles(*ORGANIZERS)
def generate(survey: Survey) -> ResponseReturnValue:
    """N invitations for a group; the links are in the download and nowhere else."""
    group = _group(survey, request.form.get("group"))
    errors = []
    try:
        count = int(request.form.get("count", ""))
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_GENERATE:
        errors.append(_("Enter how many invitations to make, from 1 to %(max)d.", max=MAX_GENERATE))
    if group is None and survey.groups:
        errors.append(_("Choose the stakeholder group the invitations are for."))
    expires = _expiry(errors)
    if errors:
        return _page_with_errors(survey, errors)
    made = invitations.create_invitations(
        db.session(), survey, [invitations.Invitee(group=group)] * count, expires
    )
    return _links_download(survey, made)


@bp.post("/invitations/upload")
@survey_roles(*ORGANIZERS)
@body_limit(LIST_LIMITS.size)
def upload(survey: Survey) -> ResponseReturnValue:
    """A list of people (name, email or phone, group): one invitation each, links to download."""
    upload = request.files.get("file")
    errors: list[str] = []
    expires = _expiry(errors)
    if upload is None or not upload.filename:
        errors.append(_("Choose a .xlsx or .csv file to upload."))
    if errors or upload is None:
        return _page_with_errors(survey, errors)
    try:
        sheet = read_table(upload.read(), upload.filename or "")
        invitees = invitation_lists.invitees_from_sheet(
            survey, sheet.header, sheet.rows, _group(survey, request.form.get("group"))
        )
    except Refusal as error:  # the file could not be read, or rows cannot be invitations
        return _page_with_errors(survey, error.messages())
    made = invitations.create_invitations(db.session(), survey, invitees, expires)
    return _links_download(survey, made)


@bp.post("/invitations/<int:invitation_id>/revoke")
@survey_roles(*ORGANIZERS)
def revoke(survey: Survey, invitation_id: int) -> Response:
    PostForm()
    found = invitations.invitation_in_survey(db.session(), survey, invitation_id)
    if found is None:
        abort(404)
    invitations.revoke(db.session(), found)
    db.session().commit()
    flash(_("The invitation is revoked."))
    return redirect(url_for("distribute.invitations_page", slug=survey.slug))


def _cards(survey: Survey, lang: str) -> list[qrcards.Card]:
    """The public link and each group's link in ``lang``, captioned in that language."""
    with force_locale(lang):  # the card speaks its link's language, whatever the page's
        public = _("Everyone (public link)")
    language = NATIVE_NAMES.get(lang, lang)

    def link(group: str | None) -> str:
        return url_for("take.respond", slug=survey.slug, group=group, lang=lang, _external=True)

    return [qrcards.Card(public, language, lang, link(None))] + [
        qrcards.Card(survey.text(g.label, lang), language, lang, link(g.code))
        for g in survey.groups
    ]


def _survey_language(survey: Survey) -> str:
    """?lang= when the survey is written in it, else its default language."""
    asked = request.args.get("lang", "")
    return asked if asked in survey.languages else survey.default_language


def _svg(body: str, name: str) -> Response:
    response = send_file(
        io.BytesIO(body.encode("utf-8")), mimetype="image/svg+xml", download_name=name
    )
    # Opened in a tab, the file is its own document: its caption font is embedded.
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@bp.get("/links")
@survey_roles(*STAFF)
def links(survey: Survey) -> str:
    """Every group's link and QR code in each of the survey's languages, and printable sheets."""
    languages = []
    for code in survey.languages:
        cards = _cards(survey, code)
        qr = [
            (card, qrcards.qr_svg(card.link, f"{card.group} · {card.language}")) for card in cards
        ]
        languages.append((code, qr, len(qrcards.sheets(cards))))
    return render_template(
        "admin/links.html", survey=survey, languages=languages, logout_form=PostForm()
    )


@bp.get("/links/sheet.svg")
@survey_roles(*STAFF)
def sheet(survey: Survey) -> Response:
    """A printable A4 page of captioned cards in one language (?lang=, ?sheet= from 1)."""
    lang = _survey_language(survey)
    pages = qrcards.sheets(_cards(survey, lang))
    number = request.args.get("sheet", "1")
    if not number.isdecimal() or not 1 <= int(number) <= len(pages):
        abort(404)
    title = f"{survey.text(survey.title, lang)} · {NATIVE_NAMES.get(lang, lang)}"
    body = qrcards.sheet_svg(pages[int(number) - 1], title)
    return _svg(body, f"{survey.slug}-links-{lang}-{number}.svg")


@bp.get("/qr/<group>.<any(svg, png):kind>")
@survey_roles(*STAFF)
def qr(survey: Survey, group: str, kind: str) -> Response:
    """A group link's QR code in one language (?lang=): a captioned card (SVG, scales for
    posters) or the bare code (PNG, for letters); both with a 4-module quiet zone."""
    lang = _survey_language(survey)
    cards = _cards(survey, lang)
    codes = ["all"] + [g.code for g in survey.groups]
    if group not in codes:
        abort(404)
    card = cards[codes.index(group)]
    name = f"{survey.slug}-{group}-{lang}.{kind}"
    if kind == "svg":
        return _svg(qrcards.card_svg(card), name)
    buffer = io.BytesIO()
    segno.make(card.link, error="m").save(buffer, kind="png", scale=8, border=qrcards.QUIET_ZONE)
    buffer.seek(0)
    return send_file(buffer, mimetype="image/png", download_name=name)


@bp.get("/monitor")
@survey_roles(*STAFF)
def monitor(survey: Survey) -> str:
    lang = content_language(survey.languages, request.args.get("lang", ""))
    return render_template(
        "admin/monitor.html",
        survey=survey,
        board=monitoring.board(db.session(), survey, lang, _("Not given")),
        logout_form=PostForm(),
    )


def _expiry(errors: list[str]) -> date | None:
    raw = request.form.get("expires", "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors.append(_("Write the expiry date as YYYY-MM-DD, or leave it empty."))
        return None
    if day < date.today():
        errors.append(_("The expiry date is in the past."))
    return day


def _page_with_errors(survey: Survey, errors: list[str]) -> tuple[str, int]:
    db.session().rollback()
    page = render_template(
        "admin/invitations.html",
        survey=survey,
        counts=invitation_lists.invitation_counts(
            db.session(), survey, survey.default_language, pending_uses()
        ),
        recent=invitation_lists.recent_invitations(db.session(), survey),
        form=PostForm(),
        logout_form=PostForm(),
        errors=errors,
        typed=request.form,
    )
    return page, 400


def _links_download(survey: Survey, made: list[tuple[invitations.Invitation, str]]) -> Response:
    rows: list[Row] = [
        [
            inv.name,
            inv.contact,
            inv.group.code if inv.group else None,
            invitation_link(token),
            inv.expires_on.isoformat() if inv.expires_on else None,
        ]
        for inv, token in made
    ]
    record(db.session(), current_user, Action.invitations_made, survey, count=len(rows))
    db.session().commit()  # the invitations exist only once the file is on its way
    table = Table(["name", "contact", "group", "link", "expires"], iter(rows), len(rows))
    book_file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    book = workbook(book_file)
    writer = SheetWriter(book, "Invitations", rtl=False)
    writer.header(table.headers)
    for row in table.rows:
        writer.write(row)
    book.close()
    book_file.seek(0)
    current_app.logger.info("%d invitations made by user %s", len(rows), current_user.id)
    return send_file(
        book_file,
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"{survey.slug}-invitations.xlsx",
    )

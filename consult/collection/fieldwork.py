"""Interviewer-assisted and paper entry: an enumerator enters a respondent's answers.

The response is tagged with the channel and the enumerator's account, never the respondent's.
Interviews start with a consent statement read aloud, confirmed by a box the enumerator ticks.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from consult import db
from consult.accounts.access import survey_roles
from consult.accounts.roles import INTERVIEWERS
from consult.collection.answering import answer
from consult.collection.cache import for_answering
from consult.collection.entry import entry_for, respondent_view
from consult.collection.models import Channel
from consult.extensions import csrf
from consult.i18n import content_language
from consult.surveys.models import Survey

bp = Blueprint("fieldwork", __name__, url_prefix="/admin/surveys/<slug>")

ENTRY_CHANNELS = {"enumerator": Channel.enumerator, "paper": Channel.paper}


@bp.route("/enter", methods=["GET", "POST"])
@survey_roles(*INTERVIEWERS)
@csrf.exempt  # the response form checks its own token and keeps the answers when it expired
@respondent_view  # retries a store that met a survey edited meanwhile
def enter(survey: Survey) -> ResponseReturnValue:
    # The rights check loaded `survey`; answering uses the cached, read-only content.
    cached = for_answering(db.session(), survey_id=survey.id)
    if cached is None:
        abort(404)
    survey = cached.survey
    lang = content_language(survey.languages, request.args.get("lang") or None, follow=True)
    group = next((g for g in survey.groups if g.code == request.args.get("group")), None)
    channel = ENTRY_CHANNELS.get(request.args.get("channel", ""))
    if channel is None or (group is None and survey.groups):
        if request.method == "POST":
            abort(400)  # answers are only taken once the channel and group are chosen
        # First choose who is answering and how: the choice goes into the address (GET form).
        return render_template("admin/enter_choose.html", survey=survey, logout_form=None)
    url_args: dict[str, Any] = {
        "slug": survey.slug,
        "group": group.code if group else None,
        "channel": channel.value,
    }
    entry = entry_for(
        cached,
        "fieldwork.enter",
        lang,
        url_args,
        # After each response, straight back to an empty form for the next respondent.
        thanks_url=url_for("fieldwork.enter", lang=lang, **url_args),
        group=group,
        channel=channel,
        enumerator=current_user._get_current_object(),
        allow_save=False,
        channel_label=_("interview") if channel == Channel.enumerator else _("paper form"),
    )
    return answer(entry)

"""How a respondent arrived, and the request-wide choices made before answering: the Entry a
view builds for answering.answer (a public or group link, an invitation, a resume code, an
interviewer's entry, an admin's preview), the page's content language, and whether a POST may
trust this process's cached survey.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import g, request, url_for
from flask.typing import ResponseReturnValue

from consult import db
from consult.accounts.models import User
from consult.collection.cache import Cached, StaleSurvey
from consult.collection.models import Channel, Draft, Invitation
from consult.errors import keep_answers
from consult.surveys.models import StakeholderGroup, Survey


@dataclass
class Entry:
    """How the respondent arrived, and where things go next."""

    survey: Survey
    # Where the form posts to (the current URL with its query string); made only for a page.
    action: Callable[[], str]
    # Where to go after a stored response.
    thanks_url: str
    # The URL of this page in another language.
    switch_url: Callable[[str], str]
    # A group fixed by the link, invitation or draft (the respondent cannot change it).
    group: StakeholderGroup | None = None
    invitation: Invitation | None = None
    draft: Draft | None = None
    channel: Channel = Channel.web
    enumerator: User | None = None
    allow_save: bool = True
    channel_label: str = field(default="")
    # The survey's cached content, which also keeps the form classes built from it.
    cached: Cached | None = None
    # An admin's or organizer's preview: any state, a "Preview" banner, nothing stored.
    preview: bool = False
    # False when ``cached`` came from this process's cache unchecked (a respondent's POST, see
    # respondent_view): the store checks it, and any other outcome checks it first.
    verified: bool = True
    # Set once this request stored the response.
    stored: bool = False
    # The form being answered and what the server judged of it, once built (a database fault
    # after that re-renders it with every answer and a message; answering.answer).
    form: Any = None
    state: Any = None

    @property
    def invitation_id(self) -> int:
        """The invitation's id, read while its session lives (claims outlive the session)."""
        return self.invitation.id if self.invitation is not None else 0


def entry_for(
    cached: Cached, endpoint: str, lang: str, url_args: dict[str, Any], **details: Any
) -> Entry:
    """An Entry whose form posts back to ``endpoint`` (with ``url_args``) in ``lang``."""
    survey = cached.survey
    return Entry(
        survey=survey,
        action=lambda: url_for(endpoint, lang=lang, **url_args),
        thanks_url=details.pop("thanks_url", None)
        or url_for("take.thanks", slug=survey.slug, lang=lang),
        switch_url=lambda code: url_for(endpoint, lang=code, **url_args),
        cached=cached,
        **details,
    )


def respondent_view(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Respondent pages: a POST may trust this process's cached survey (see ``trust_cache``).

    When the cached tree turned out to be outdated (StaleSurvey: nothing was written), the
    request is answered again with the current tree, checked this time.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        g.trust_survey_cache = request.method == "POST"
        for _attempt in range(3):
            try:
                return view(*args, **kwargs)
            except StaleSurvey:
                db.session().rollback()
                g.trust_survey_cache = False
        # Edited three times during one submission: keep nothing half-done, keep the answers.
        return keep_answers(503)

    # A database fault, a rate limit or a survey edited under the respondent answers with a
    # page that keeps every posted answer (errors.keep_answers).
    wrapper.keeps_answers = True  # type: ignore[attr-defined]
    return wrapper


def trust_cache() -> bool:
    """Whether this request may use the cached survey unchecked (a respondent's POST)."""
    return bool(g.get("trust_survey_cache"))

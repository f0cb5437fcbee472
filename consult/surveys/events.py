"""What happened to a survey, for features above that act on it (webhooks) without the
services that make it happen knowing them: blinker signals, sent with the caller's session.

Receivers run inside the caller's transaction: they may read and add to the session, and
must leave anything outside the database (a queued job, a request) until it commits.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Survey; session=, response_id=: a response was stored (not yet committed).
response_recorded = _signals.signal("response-recorded")
# sender: the Survey; session=: it was opened, or closed (not yet committed).
survey_opened = _signals.signal("survey-opened")
survey_closed = _signals.signal("survey-closed")

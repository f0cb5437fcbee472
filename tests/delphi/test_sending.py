"""Each round's links by e-mail (a real SMTP server): every panellist once, in the chosen
language; a refused address gets no live link, and sending again reaches only those without
one; the message names the panellist and carries nothing else of them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.accounts.audit import AuditEvent
from consult.collection.models import Invitation
from tests.conftest import make_app
from tests.delphi import simulation as sim


@pytest.fixture
def delphi_app(engine, connection, smtp, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, JOBS_IMMEDIATE=True, MAIL_URL=smtp.url,
                    MAIL_FROM="consult@example.org")  # fmt: skip


def test_links_reach_each_panellist_once_and_a_refusal_is_sent_again(delphi_app, session, smtp):
    panel = sim.make_panel(6)
    smtp.refuse.add(panel[2].email)
    run = sim.start(delphi_app, session, smtp, panel)
    links = sim.open_and_send(run, smtp, 1)
    assert sorted(links) == sorted(p.email for p in panel if p is not panel[2])
    first = smtp.to(panel[0].email)[0]
    assert panel[0].name in first.get_content()
    live = session.scalars(select(Invitation).where(Invitation.revoked.is_(False))).all()
    assert len(live) == 5 and all(i.name is None and i.contact is None for i in live)
    base = f"/admin/surveys/{run.survey.slug}/delphi"
    smtp.refuse.clear()
    before = len(smtp.messages)
    assert sim.post(run.client, base, "/rounds/1/send", {"language": "ur"}).status_code == 302
    again = smtp.messages[before:]
    assert [m["To"] for m in again] == [panel[2].email]
    assert "?lang=ur" in again[0].get_content()
    sent = session.scalars(select(AuditEvent).where(AuditEvent.action == "Delphi links sent"))
    assert [(e.detail["count"], e.detail["failed"]) for e in sent] == [(5, 1), (1, 0)]

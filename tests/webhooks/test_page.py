"""The webhook page: linked from the survey's page, in English and Urdu, secret shown once
there is a webhook, and a new secret on request."""

from __future__ import annotations

from sqlalchemy import select

from consult.webhooks.models import Webhook
from tests.conftest import form_tokens


def test_the_survey_page_links_it_and_it_speaks_urdu(client, session, organizer, receiver):
    survey_page = client.get(f"/admin/surveys/{organizer.slug}").get_data(as_text=True)
    page = f"/admin/surveys/{organizer.slug}/webhook"
    assert f'href="{page}"' in survey_page
    assert "export.sav" in survey_page and "export.dta" in survey_page
    urdu = client.get(f"{page}?lang=ur").get_data(as_text=True)
    assert "ویب ہک" in urdu and "پتا محفوظ کریں" in urdu
    assert "Signing secret" not in client.get(page).get_data(as_text=True)  # none yet
    got = receiver([200])
    client.post(page, data={**form_tokens(client, page), "url": got.url})
    webhook = session.scalar(select(Webhook).where(Webhook.survey_id == organizer.id))
    assert webhook.secret.startswith("whsec_") and len(webhook.secret) > 40
    assert webhook.secret in client.get(page).get_data(as_text=True)
    old = webhook.secret
    client.post(f"{page}/secret", data=form_tokens(client, page))
    session.refresh(webhook)
    assert webhook.secret != old
    client.post(f"{page}/remove", data=form_tokens(client, page))
    assert session.scalar(select(Webhook).where(Webhook.survey_id == organizer.id)) is None

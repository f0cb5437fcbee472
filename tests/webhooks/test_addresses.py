"""Server-side request forgery: private, loopback, link-local, multicast and reserved
addresses are refused at save (a message beside the field) and again at delivery."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from consult.accounts.roles import Role
from consult.problems import Refusal
from consult.webhooks.addresses import check_url
from consult.webhooks.models import Webhook, WebhookDelivery
from consult.webhooks.tasks import deliver
from tests import factories
from tests.conftest import form_tokens, make_app

REFUSED = [
    "https://10.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
    "https://127.0.0.1/hook",
    "https://localhost/hook",  # a name: its addresses are checked
    "https://192.168.1.20/hook",
    "https://100.64.0.1/hook",  # shared address space
    "https://224.0.0.1/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[::ffff:10.0.0.1]/hook",  # IPv4 written as IPv6
    "https://[fd00::1]/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_and_special_addresses_are_refused(url):
    with pytest.raises(Refusal) as refused:
        check_url(url, allow_private=False)
    assert refused.value.by_field()["url"].startswith("This address is in a private")


def test_only_https_and_real_addresses():
    assert check_url("https://93.184.215.14/x", False).addresses == ("93.184.215.14",)
    for url, start in [
        ("http://93.184.215.14/x", "Use an https://"),
        ("ftp://example.org/x", "Use an https://"),
        ("example.org/hook", "This is not a web address"),
        ("https://user:pw@93.184.215.14/", "This is not a web address"),
        ("https://no-such-host.invalid/hook", "This host name cannot be found"),
    ]:
        with pytest.raises(Refusal) as refused:
            check_url(url, allow_private=False)
        assert refused.value.by_field()["url"].startswith(start), url
    # http:// only to loopback, and only where allowed (tests, local development).
    assert check_url("http://127.0.0.1:8000/", True, allow_http=True).port == 8000
    with pytest.raises(Refusal):
        check_url("http://10.0.0.1/", True, allow_http=True)


@pytest.mark.parametrize("url", ["https://10.0.0.1/hook", "https://169.254.169.254/latest"])
def test_the_page_refuses_beside_the_field_and_saves_nothing(engine, connection, session, url,
                                                            monkeypatch, tmp_path):  # fmt: skip
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    app = make_app(engine, connection)  # the defaults: private addresses refused
    client = app.test_client()
    survey = factories.small(session, anonymous=False)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    page = f"/admin/surveys/{survey.slug}/webhook"
    response = client.post(page, data={**form_tokens(client, page), "url": url})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="url-error"' in text and "private, local or reserved" in text
    assert f'value="{url}"' in text  # what was typed is kept
    assert session.scalar(select(Webhook).where(Webhook.survey_id == survey.id)) is None


def test_delivery_checks_the_address_again(app, session, organizer, receiver):
    """Saved while allowed; refused at delivery once it is not (as when a name is made to point
    at a private address after it was checked: DNS rebinding)."""
    got = receiver([200])
    webhook = Webhook(survey_id=organizer.id, url=got.url, secret="whsec_x")
    session.add(webhook)
    session.commit()
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    with app.app_context():
        deliver(webhook.id, "ping", "d" * 32, "{}", retry=False)
    assert got.received == []
    [row] = session.scalars(select(WebhookDelivery)).all()
    assert row.status_code is None and "private" in row.error


def test_delivery_connects_to_the_checked_address_and_names_the_host(app, session, organizer,
                                                                     receiver):  # fmt: skip
    """``localhost`` is resolved and checked; the request goes to the address (::1 first when
    it has one: refused here, so 127.0.0.1 next) with the name in the Host header."""
    got = receiver([200])
    port = got.server.server_address[1]
    webhook = Webhook(survey_id=organizer.id, url=f"http://localhost:{port}/h", secret="whsec_x")
    session.add(webhook)
    session.commit()
    with app.app_context():
        deliver(webhook.id, "ping", "d" * 32, "{}", retry=False)
    [(headers, body)] = got.received
    assert headers["Host"] == f"localhost:{port}" and body == b"{}"


def _certificate(folder, name):
    """A self-signed certificate for ``name`` (Debian's openssl), and an HTTPS server context."""
    import ssl
    import subprocess

    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    subprocess.run(  # noqa: S603
        ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_https_is_verified_against_the_host_name_not_the_address(app, session, organizer,
                                                                 receiver, tmp_path):  # fmt: skip
    """The request goes to the checked address, and TLS checks the certificate against the
    URL's name (SNI): a certificate for that name passes, one for another name fails."""
    cert, context = _certificate(tmp_path, "localhost")
    good = receiver([200], tls=context)
    app.config["WEBHOOKS_CA_FILE"] = str(cert)
    port = good.server.server_address[1]
    webhook = Webhook(survey_id=organizer.id, url=f"https://localhost:{port}/h", secret="s")
    session.add(webhook)
    session.commit()
    with app.app_context():
        deliver(webhook.id, "ping", "d" * 32, "{}", retry=False)
    assert len(good.received) == 1
    other_cert, other_context = _certificate(tmp_path, "other.example")
    bad = receiver([200], tls=other_context)
    app.config["WEBHOOKS_CA_FILE"] = str(other_cert)
    webhook.url = f"https://localhost:{bad.server.server_address[1]}/h"
    session.commit()
    with app.app_context():
        deliver(webhook.id, "ping", "e" * 32, "{}", retry=False)
    assert bad.received == []
    last = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc())).first()
    assert last.status_code is None and "certificate" in last.error.lower()

"""Sending e-mail through a real SMTP server in the test process (aiosmtpd)."""

from __future__ import annotations

import logging

import pytest

from consult import mail


def test_a_message_arrives_whole_in_utf8(smtp):
    mail.send(smtp.url, "consult@example.org", mail.Mail("x@example.org", "Hi", "Body ✓ اردو",
              {"List-Unsubscribe": "<http://h/u/1>"}))  # fmt: skip
    [received] = smtp.messages
    assert received["Subject"] == "Hi" and received["From"] == "consult@example.org"
    assert "اردو" in received.get_content()
    assert received["List-Unsubscribe"] == "<http://h/u/1>"


def test_a_refused_address_is_a_bounce_and_a_busy_server_a_retry(smtp):
    smtp.refuse.add("gone@example.org")
    with pytest.raises(mail.MailRefused):
        mail.send(smtp.url, "c@example.org", mail.Mail("gone@example.org", "Hi", "Body"))
    smtp.busy = 1
    with pytest.raises(mail.MailFailed):
        mail.send(smtp.url, "c@example.org", mail.Mail("later@example.org", "Hi", "Body"))
    mail.send(smtp.url, "c@example.org", mail.Mail("later@example.org", "Hi", "Body"))
    assert len(smtp.to("later@example.org")) == 1


def test_no_server_is_a_temporary_failure():
    with pytest.raises(mail.MailFailed):
        mail.send("smtp://127.0.0.1:9", "c@example.org", mail.Mail("a@example.org", "s", "b"))


def test_the_log_transport_prints_the_message(caplog):
    with caplog.at_level(logging.INFO, logger="consult.mail"):
        mail.send("log://", "c@example.org", mail.Mail("a@example.org", "Subject line", "b"))
    assert "Subject line" in caplog.text


def test_header_injection_is_impossible(smtp):
    mail.send(smtp.url, "c@example.org", mail.Mail("a@example.org", "Hi\r\nBcc: x@evil", "b"))
    assert smtp.messages[0]["Bcc"] is None


@pytest.mark.parametrize(
    "text,ok",
    [
        ("a@example.org", True),
        ("a@b", False),
        ("a b@example.org", False),
        ("<a@example.org>", False),
    ],
)
def test_valid_address(text, ok):
    assert mail.valid_address(text) is ok

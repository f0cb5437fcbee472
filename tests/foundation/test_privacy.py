"""Request log lines carry no client address, query string or token."""

from __future__ import annotations

import logging

from consult.privacy import RedactRequestLines


def test_werkzeug_request_line_is_redacted():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1,
        '203.0.113.9 - - [25/Nov/2026 10:00:00] "%s" %s %s',
        ("POST /i/SECRETTOKEN123456?lang=ur&group=media HTTP/1.1", "302", "-"), None,
    )  # fmt: skip
    RedactRequestLines().filter(record)
    line = record.getMessage()
    assert "203.0.113.9" not in line and "SECRETTOKEN" not in line and "group=media" not in line
    assert '"POST /i/… HTTP/1.1" 302' in line


def test_other_log_lines_are_untouched():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, "Press CTRL+C to quit", (), None
    )
    RedactRequestLines().filter(record)
    assert record.getMessage() == "Press CTRL+C to quit"

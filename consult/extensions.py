"""Flask extensions, created unbound and attached to each app in init_app()."""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app, g, request
from flask_babel import Babel, get_locale, refresh
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from consult import assets, i18n
from consult.i18n import NATIVE_NAMES, direction, select_locale

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def _client_key() -> str:
    """Rate limits count per client, but under a keyed hash of its address: the counters
    (in memory or Redis) never hold an IP address, not even for the minute they live."""
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    address = (get_remote_address() or "").encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()[:24]


limiter = Limiter(key_func=_client_key, default_limits=[])


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    i18n.init_app(app)
    assets.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    if app.config["PROXY_HOPS"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    @app.context_processor
    def _language() -> dict[str, object]:
        content = g.get("content_language")
        if content and content != str(get_locale()):
            refresh()  # a survey page decided its language after the locale was first asked
        lang = str(content or get_locale() or "en")
        return {
            "lang": lang,
            "text_dir": direction(lang),
            "native_names": NATIVE_NAMES,
            # The switcher's languages: a survey's pages offer the languages the survey has.
            "switch_languages": app.config["LANGUAGES"],
            "current_args": request.args,
        }

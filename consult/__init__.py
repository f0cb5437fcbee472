"""consult: stakeholder consultations on the web, exported to Excel.

The shell: ``create_app`` (this module), the ``consult`` command (``cli``), the WSGI entry point
(``wsgi``) and the pages that tie the features together (``home``). Below it, the features
(``authoring``, ``collection``, ``distribution``, ``analysis``, ``exports``), ``accounts``, the
kernel (``surveys``), ``spreadsheets`` and the foundation (config, db, extensions, i18n, assets,
privacy, security, errors, forms, problems, jobs). docs/architecture.md draws the house.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Flask
from werkzeug.routing import IntegerConverter, Map


class RowId(IntegerConverter):
    """``<int:...>`` in every route: a row id, so a number past the databases' integer matches
    no route (404) instead of overflowing in the query (a 500). The API's OpenAPI document
    gives the same bound as its maximum."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application factory: config, extensions, blueprints; no I/O but reading config."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("CONSULT_INSTANCE_PATH") or None,
        template_folder="../templates",
        static_folder="../static",
    )
    from consult import config

    config.load(app, test_config)
    app.url_map.converters["int"] = RowId

    from consult import accounts, cli, db, errors, extensions, jobs, privacy, security
    from consult.surveys import texts

    db.init_app(app)
    jobs.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    accounts.init_app(app)
    texts.init_app(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    from consult import api

    api.init_app(app)  # the REST API and its OpenAPI document (flask-smorest)
    errors.init_app(app)
    cli.init_app(app)
    privacy.install()
    return app


def blueprints() -> list[Blueprint]:
    """Every feature's pages (imported here, so that importing a feature loads no views)."""
    from consult import home
    from consult.accounts import account_views, audit_views, team_views
    from consult.accounts import views as accounts
    from consult.analysis import views as results
    from consult.analysis.themes import results_views as theme_results
    from consult.analysis.themes import views as themes
    from consult.authoring import views as builder
    from consult.authoring.xlsform import views as xlsform
    from consult.collection import fieldwork, import_views
    from consult.collection import views as take
    from consult.delphi import take_views as delphi_take
    from consult.delphi import views as delphi
    from consult.distribution import mail_views
    from consult.distribution import views as distribute
    from consult.exports import views as exports
    from consult.public import views as public_pages
    from consult.review import views as review
    from consult.tracking import views as tracking
    from consult.webhooks import views as webhooks

    return [
        home.main, home.admin, accounts.bp, account_views.bp, team_views.bp, audit_views.bp,
        take.bp, fieldwork.bp, import_views.bp,
        distribute.bp, mail_views.bp, mail_views.unsubscribe_bp, review.bp, results.bp,
        exports.bp, xlsform.bp, builder.bp, themes.bp, theme_results.bp, delphi.bp, delphi_take.bp,
        webhooks.bp, tracking.bp, public_pages.bp,
    ]  # fmt: skip

"""consult: stakeholder consultations on the web, exported to Excel."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application factory: config, extensions, blueprints; no I/O but reading config."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("CONSULT_INSTANCE_PATH") or None,
        template_folder="../templates",
        static_folder="../static",
    )
    from . import config

    config.load(app, test_config)

    from . import cli, db, extensions, privacy, security
    from .blueprints import (
        admin,
        auth,
        builder,
        distribute,
        errors,
        fieldwork,
        main,
        results,
        take,
        xlsform_views,
    )

    db.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    for blueprint in (main.bp, auth.bp, take.bp, admin.bp, distribute.bp, fieldwork.bp, results.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(xlsform_views.bp)
    app.register_blueprint(builder.bp)
    errors.init_app(app)
    cli.init_app(app)
    privacy.install()
    return app

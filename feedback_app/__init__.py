"""Fiilis: anonymous resident feedback for the Helsinki model."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration → extensions → blueprints → hooks → commands."""
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    from feedback_app.config import (
        config_for_environment,
        secret_key_from_environment,
        settle_engine_options,
        settle_public_address,
    )
    from feedback_app.json_body import StrictJSONProvider

    app.json = StrictJSONProvider(app)  # bounded, standard JSON for every body read
    app.config.from_object(config_for_environment())
    if test_config:
        app.config.update(test_config)
    if app.config.get("REQUIRE_SECRET_KEY") and not (
        secret_key_from_environment() or (test_config or {}).get("SECRET_KEY")
    ):
        # A random per-process key would sign staff out on every restart and split
        # sessions between workers; production must be configured on purpose.
        raise RuntimeError("SECRET_KEY must be set when FIILIS_ENV=production")
    settle_public_address(app.config)
    settle_engine_options(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from feedback_app import database, i18n, security
    from feedback_app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)

    from feedback_app import api, auth, errors, health, site, survey

    errors.install_converters(app)

    for blueprint in (site.bp, survey.bp, api.bp, health.bp, auth.bp):
        app.register_blueprint(blueprint)
    from feedback_app import pwa, statements

    app.register_blueprint(pwa.bp)
    app.register_blueprint(statements.bp)
    from feedback_app import admin

    app.register_blueprint(admin.bp)
    from feedback_app import studio

    app.register_blueprint(studio.bp)
    app.register_blueprint(studio.sharing_bp)
    from feedback_app import dashboard

    app.register_blueprint(dashboard.bp)
    from feedback_app import account

    app.register_blueprint(account.bp)
    # Residents have no session, so there is no ambient authority for CSRF to abuse.
    csrf.exempt(survey.bp)
    csrf.exempt(api.bp)

    from feedback_app import cli, static_files, templating

    app.after_request(security.set_security_headers)
    security.install_log_redaction(app)
    errors.register_error_handlers(app)
    templating.register(app)
    cli.register(app)
    static_files.install(app)  # hashed URLs, WhiteNoise in front of the app
    if app.config["PROXY_COUNT"] > 0:
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    return app

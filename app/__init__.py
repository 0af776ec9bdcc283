"""The web layer: create_app() wires settings, extensions and blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import lazy_gettext
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from curriculum import i18n
from curriculum.db import make_engine, make_sessionmaker
from curriculum.documents.render import Settings as DocumentSettings
from curriculum.services.accounts import find_by_login_id

from . import language, logs
from .config import Defaults, from_environment, instance_secret_key
from .extensions import babel, close_db, csrf, get_db, limiter, login_manager
from .language import page_language, page_translations
from .views import RecordId

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    languages = ("en", "lo")
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or "en"


def _translate(text: str) -> str:
    if not has_request_context():
        return text
    return page_translations().ugettext(text)


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.url_map.converters["int"] = RecordId
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    app.config.update(config or {})

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(instance)
    app.config.setdefault("DATABASE_URL", f"sqlite:///{instance / 'ctg.sqlite3'}")
    app.config.setdefault("BACKUP_DIR", str(instance / "backups"))
    app.config.setdefault("CURRICULUM_DIR", str(PROJECT_ROOT / "modules"))
    app.config.setdefault("DOCUMENT_CACHE", str(instance / "documents"))
    app.extensions["ctg.documents"] = DocumentSettings(
        cache_dir=Path(app.config["DOCUMENT_CACHE"]),
        translations_dir=Path(app.root_path) / "translations",
    )
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]

    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        # The client's address and scheme as the proxies saw them; the Host header is the
        # proxy's to pass on (a forwarded host or prefix is not trusted).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    logs.configure(app)
    logs.install(app)

    factory = app.config.get("SESSION_FACTORY")
    if factory is None:
        engine = make_engine(app.config["DATABASE_URL"])
        factory = make_sessionmaker(engine)
        app.extensions["ctg.engine"] = engine
    app.extensions["ctg.sessionmaker"] = factory
    app.teardown_appcontext(close_db)

    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    language.install(app)
    i18n.set_translator(_translate)
    i18n.set_language(page_language)
    _init_login(app)

    from . import errors, views
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .dashboard import bp as dashboard_bp
    from .jobs import init_jobs
    from .lessons import bp as lessons_bp
    from .library import bp as library_bp
    from .participants import bp as participants_bp
    from .reports import bp as reports_bp
    from .trainers import bp as trainers_bp
    from .workshops import bp as workshops_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(trainers_bp, url_prefix="/trainers")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(library_bp, url_prefix="/library")
    app.register_blueprint(lessons_bp, url_prefix="/lessons")
    app.register_blueprint(workshops_bp, url_prefix="/workshops")
    app.register_blueprint(participants_bp, url_prefix="/participants")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    errors.register(app)
    views.register(app)
    views.install_transactions(app)
    init_jobs(app)

    from .cli import register as register_cli

    register_cli(app)
    return app


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(login_id: str):
        return find_by_login_id(get_db(), login_id, app.permanent_session_lifetime)

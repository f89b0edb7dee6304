"""Extension instances, created unbound so any module can import them without the app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from feedback_app.ratelimit import limiter


class Base(DeclarativeBase):
    """Declarative base shared by every model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
mail = Mail()

__all__ = ["Base", "babel", "csrf", "db", "limiter", "login_manager", "mail", "migrate"]

"""The workshops area of the web app: its blueprint and views."""

from . import calendar, planning  # noqa: F401  (their views register on the blueprint)
from .routes import bp

__all__ = ["bp"]

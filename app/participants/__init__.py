"""The participants area of the web app: its blueprint and views."""

from . import scans  # noqa: F401  (its views register on the blueprint)
from .routes import bp

__all__ = ["bp"]

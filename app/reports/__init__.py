"""The reports area of the web app: its blueprint and views."""

from .routes import bp

__all__ = ["bp"]

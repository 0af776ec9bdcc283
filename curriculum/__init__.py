"""Domain layer of the CTG curriculum manager: models, services and rules.

Nothing in this package imports Flask; it works from a script, the CLI and the
tests with a SQLAlchemy ``Session``.
"""

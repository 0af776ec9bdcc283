"""Settings: defaults here, then instance/config.py, then the environment, then create_app's argument."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path


class Defaults:
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=12)
    # A form token lives as long as the signed-in session, so a long editing
    # session never fails on save because its token expired.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Vientiane"
    LANGUAGES = ("en", "lo")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT = "5 per minute"
    BACKUP_KEEP = 14
    JOBS_IMMEDIATE = False
    # How many reverse proxies stand in front of the app and set X-Forwarded-For and
    # X-Forwarded-Proto (0: none, the address of the connection is the client's). Behind
    # one proxy, set 1: otherwise every client shares the proxy's address (sign-in
    # throttling, the certificate check's limit) and links may come out as http.
    TRUSTED_PROXIES = 0
    LOG_LEVEL = "INFO"
    # DOCUMENT_CACHE (default: instance/documents) is where rendered PDFs are kept. With
    # several app hosts, a directory they all see (a network share), so that a document
    # rendered by the job consumer is served by any host.
    # Cached PDFs not used for this many days are deleted by the nightly job (they are
    # made again when next asked for).
    DOCUMENT_CACHE_DAYS = 30
    # The rollout planner's defaults; a rollout's "Propose a plan" page changes them for that
    # rollout. PLANNER_SECONDS is the search time in CP-SAT's deterministic seconds (the
    # same on any machine; a few seconds of wall time each on a small one); the weights say
    # how much each soft rule counts (0 turns a rule off), see the README.
    PLANNER_DAYS = 2
    PLANNER_HOURS_A_DAY = 5
    PLANNER_SECONDS = 5
    PLANNER_WEIGHTS = {
        "balance": 10,
        "mix_institutions": 4,
        "mix_sexes": 4,
        "travel": 1,
        "same_lead": 2,
        "mentoring": 3,
    }
    # PAGE_SIZES (not set here): rows per page of some of the lists that grow with the
    # data, e.g. {"registrations": 100}; the lists it does not name keep the sizes of
    # PAGE_SIZES below.


# Rows per page, by list. A page stays small enough to load quickly on a provincial
# connection and long enough that the usual case needs no paging: 50 registrations hold
# every seated person of a usual workshop (20 to 40 seats) with room for the top of the
# waitlist, at about 55 KB; 50 people, plans or audit events are a screenful or two
# to scan; 25 trainers as before (each row is wide); 10 rollouts, since each lists its
# workshops; 20 imports of a workshop (a few at most in practice).
PAGE_SIZES = {
    "registrations": 50,
    "participants": 50,
    "lesson_plans": 50,
    "audit": 50,
    "trainers": 25,
    "rollouts": 10,
    "imports": 20,
}

ENVIRONMENT_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SESSION_COOKIE_SECURE",
    "BACKUP_KEEP",
    "TRUSTED_PROXIES",
    "LOG_LEVEL",
    "DOCUMENT_CACHE_DAYS",
    "DOCUMENT_CACHE",
)
WHOLE_NUMBERS = ("BACKUP_KEEP", "TRUSTED_PROXIES", "DOCUMENT_CACHE_DAYS")


def from_environment() -> dict:
    values: dict = {}
    for key in ENVIRONMENT_KEYS:
        raw = os.environ.get(key)
        if raw in (None, ""):
            continue
        if key == "SESSION_COOKIE_SECURE":
            values[key] = raw.lower() in ("1", "true", "yes")
        elif key in WHOLE_NUMBERS:
            if not (raw.strip().isascii() and raw.strip().isdigit()):
                raise ValueError(f"{key} must be a whole number of 0 or more, not {raw!r}")
            values[key] = int(raw)
        else:
            values[key] = raw
    return values


def instance_secret_key(instance_path: Path) -> str:
    """The secret key kept in instance/secret_key, generated on first use (never committed)."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key

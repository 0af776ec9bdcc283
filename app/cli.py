"""Command-line tools: ``flask --app app <command>``.

db upgrade|downgrade|current|revision   schema migrations (Alembic)
setup                                   migrate, load reference data; demo data and accounts on first run
seed-demo                               add the demo trainers and their qualifications (idempotent)
curriculum import|export                the curriculum files in modules/ <-> the database
documents guide                         render the Trainers' Reference Guide as a PDF
users create|list|set-password          accounts
backup                                  copy the SQLite database to instance/backups/
jobs                                    run the background-job consumer
serve                                   setup, job consumer and web server together (make run)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from werkzeug.serving import run_simple

from curriculum.backup import backup_sqlite, list_backups
from curriculum.content.checks import lao_coverage, plan_coverage_gaps
from curriculum.content.files import ContentInvalid, read_curriculum, write_curriculum
from curriculum.db import refresh_statistics, session_scope
from curriculum.documents.guide import PRELOAD as guide_modules
from curriculum.documents.guide import render_guide
from curriculum.documents.parts import process_pool, start_fork_server
from curriculum.errors import DomainError, ValidationError
from curriculum.models import ROLES, Trainer, User
from curriculum.permissions import SYSTEM
from curriculum.seed.demo import (
    DEMO_DOMAIN,
    TRAINERS,
    demo_email,
    seed_demo,
    seed_demo_lessons,
    seed_demo_participants,
    seed_demo_rollouts,
    seed_qualifications,
)
from curriculum.seed.reference import seed_reference
from curriculum.services import accounts, content, lessons, programmes

from .jobs import ConsumerRunning, consumer_lock, stop_with_parent

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
ADMIN_EMAIL = "admin@ctg.example.org"
PASSWORD_FILE = "initial-password.txt"


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    alembic_command.upgrade(alembic_config(url), revision)


def _sessions():
    return session_scope(current_app.extensions["ctg.sessionmaker"])


def _fail(exc: DomainError) -> None:
    raise click.ClickException(str(exc))


def register(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(curriculum_group)
    app.cli.add_command(documents_group)
    for cmd in (setup_command, seed_demo_command, backup_command, jobs_command, serve_command):
        app.cli.add_command(cmd)


# -- db --------------------------------------------------------------------------------------


@click.group("db", help="Schema migrations.")
def db_group():
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision):
    """Apply migrations up to REVISION (default: the newest)."""
    upgrade_database(current_app.config["DATABASE_URL"], revision)


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision):
    """Undo migrations down to REVISION."""
    alembic_command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_group.command("current")
@with_appcontext
def db_current():
    """Show the database's migration revision."""
    alembic_command.current(alembic_config(current_app.config["DATABASE_URL"]))


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def db_revision(message, autogenerate):
    """Write a new migration (compared with the models when --autogenerate)."""
    alembic_command.revision(
        alembic_config(current_app.config["DATABASE_URL"]),
        message=message,
        autogenerate=autogenerate,
    )


# -- setup and demo -------------------------------------------------------------------------


def _password_file() -> Path:
    return Path(current_app.instance_path) / PASSWORD_FILE


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


DEMO_ACCOUNTS = [
    (ADMIN_EMAIL, "ຜູ້ບໍລິຫານລະບົບ", "admin", None),
    (f"coordinator@{DEMO_DOMAIN}", "ຜູ້ປະສານງານ (ຕົວຢ່າງ)", "coordinator", None),
    (
        demo_email(TRAINERS[0][1], TRAINERS[0][3]),
        f"{TRAINERS[0][1]} {TRAINERS[0][3]}",
        "trainer",
        0,
    ),
    (f"viewer@{DEMO_DOMAIN}", "ຜູ້ເບິ່ງ (ຕົວຢ່າງ)", "viewer", None),
]


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load the demo data set on the first run.")
@click.option("--logins/--no-logins", default=True, help="Print the first-run sign-in details.")
@with_appcontext
def setup_command(demo, logins):
    """Migrate the database, add missing reference data; on the first run add demo data and accounts."""
    url = current_app.config["DATABASE_URL"]
    upgrade_database(url)
    with _sessions() as db:
        first_run = db.scalar(select(func.count()).select_from(User)) == 0
        added = seed_reference(db)
        if any(added.values()):
            click.echo(
                f"Reference data: {added['provinces']} provinces, {added['institutions']} institutions, "
                f"{added['methods']} teaching methods, "
                f"{added['travel_times']} estimated road times between provinces added."
            )
        if content.is_empty(db):
            path = Path(current_app.config["CURRICULUM_DIR"])
            summary = content.import_curriculum(
                db, SYSTEM, read_curriculum(path), "Shipped curriculum"
            )
            click.echo(f"Curriculum imported from {path}: {summary}.")
            if demo and not first_run:  # the first run seeds them with the demo trainers
                seed_qualifications(db)
        else:
            shipped = read_curriculum(Path(current_app.config["CURRICULUM_DIR"]))
            summary = content.ImportSummary()
            # A database from before handouts and programme outlines: add the shipped ones
            # (the plans there keep their versions; `curriculum import` brings them up to date).
            if not content.list_materials(db):
                content.import_materials(db, shipped.materials, summary)
            if not programmes.list_programmes(db):
                content.import_programmes(db, shipped.programmes, summary)
            if summary.created:
                click.echo(f"Handouts and programme outlines imported: {summary}.")
            if lessons.is_empty(db):
                # A database from before lesson plans existed: add the shipped plans only
                # (the modules there may have been edited since; they are left alone).
                summary = content.ImportSummary()
                db.flush()
                lessons.import_lesson_plans(db, SYSTEM, shipped.lesson_plans, summary)
                click.echo(f"Lesson plans imported: {summary}.")
        if first_run:
            password = accounts.generate_password()
            if demo:
                count = seed_demo(db)
                qualifications = seed_qualifications(db)
                click.echo(
                    f"Demo data: {count} trainers added, {qualifications} qualifications granted."
                )
            create_accounts(db, password, None if demo else {"admin"})
            if demo:
                seed_demo_lessons(db)
                workshops_added = seed_demo_rollouts(db)
                click.echo(f"Demo rollouts: {workshops_added} workshops added.")
                registered = seed_demo_participants(db)
                click.echo(f"Demo participants: {registered} registrations added.")
            _write_private(_password_file(), password + "\n")
        refresh_statistics(db)
    if logins:
        print_logins()


def create_accounts(db, password: str, roles: set[str] | None = None) -> None:
    """The first-run accounts (all, or those of ``roles``), each with ``password``; a demo
    trainer's account is linked to their trainer record."""
    for email, name, role, trainer_index in DEMO_ACCOUNTS:
        if roles is not None and role not in roles:
            continue
        trainer_id = None
        if trainer_index is not None:
            trainer_id = db.scalar(select(Trainer.id).where(Trainer.email == email))
        accounts.create_user(
            db,
            SYSTEM,
            {
                "email": email,
                "name": name,
                "role": role,
                "password": password,
                "trainer_id": trainer_id,
                "language": "en",
            },
        )


def print_logins() -> None:
    path = _password_file()
    if not path.exists():
        return
    password = path.read_text().strip()
    with _sessions() as db:
        users = {
            u.email: u
            for u in db.scalars(select(User).where(User.email.in_([a[0] for a in DEMO_ACCOUNTS])))
        }

    lines = []
    for email, _name, role, _t in DEMO_ACCOUNTS:
        user = users.get(email)
        if user is not None and user.active and check_password_hash(user.password_hash, password):
            lines.append(f"  {role:<12} {email}")
    if lines:
        click.echo("")
        click.echo("Sign in with one of these accounts; the password of each is: " + password)
        click.echo("\n".join(lines))
        click.echo(f"(The password is kept in {path}; change it on the Account page.)")
    else:
        click.echo("The first-run password has been changed on every demo account.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add the demo trainers (and reference data) that are missing."""
    with _sessions() as db:
        count = seed_demo(db)
        qualifications = seed_qualifications(db)
        refresh_statistics(db)
    click.echo(f"Demo data: {count} trainers added, {qualifications} qualifications granted.")


# -- curriculum and documents ---------------------------------------------------------------


@click.group("curriculum", help="The curriculum files (modules/) and the database.")
def curriculum_group():
    pass


def _read_or_exit(path: Path, prefix: str = ""):
    """The curriculum in ``path``, or every problem in it on stderr and exit status 1."""
    try:
        return read_curriculum(path)
    except ContentInvalid as exc:
        click.echo(f"{prefix}{len(exc.problems)} problem(s) in {path}.", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None


@curriculum_group.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("-m", "--comment", default="", help="Why (kept with each new module version).")
@with_appcontext
def curriculum_import(path, comment):
    """Check every file in PATH (default: modules/), then import all of it or nothing."""
    path = path or Path(current_app.config["CURRICULUM_DIR"])
    cur = _read_or_exit(path, "Nothing was imported: ")
    with _sessions() as db:
        try:
            summary = content.import_curriculum(db, SYSTEM, cur, comment)
        except DomainError as exc:
            _fail(exc)
        refresh_statistics(db)
    click.echo(f"Imported {path}: {summary}.")


@curriculum_group.command("gaps")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def curriculum_gaps(path):
    """List what the lesson plans in PATH (default: modules/) leave out of each module, per
    language: minutes not covered and learning outcomes no plan takes as an objective."""
    path = path or Path(current_app.config["CURRICULUM_DIR"])
    cur = _read_or_exit(path)
    gaps = plan_coverage_gaps(cur.modules, cur.lesson_plans)
    for gap in gaps:
        click.echo(gap)
    click.echo(f"{len(gaps)} gap(s) in {len(cur.modules)} modules.")
    raise SystemExit(1 if gaps else 0)


@curriculum_group.command("lao")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def curriculum_lao(path):
    """Say how much of the curriculum in PATH (default: modules/) has its Lao text: words
    per chapter (ICU word breaks), glossary definitions, provision summaries, handouts,
    lesson plans and plan templates. Exit status 1 while anything is missing."""
    path = path or Path(current_app.config["CURRICULUM_DIR"])
    cur = _read_or_exit(path)
    report = lao_coverage(cur.modules, cur.terms, cur.provisions, cur.lesson_plans, cur.materials)
    click.echo("Chapters (words, counted with ICU word breaks):")
    for chapter in report["chapters"]:
        click.echo(f"  {chapter['code']}  English {chapter['en']:>6,}  Lao {chapter['lo']:>6,}")
    total_en = sum(c["en"] for c in report["chapters"])
    total_lo = sum(c["lo"] for c in report["chapters"])
    click.echo(f"  all  English {total_en:>6,}  Lao {total_lo:>6,}")
    missing = sum(1 for c in report["chapters"] if not c["lo"])
    for key, label in (
        ("definitions", "Glossary definitions in Lao"),
        ("summaries", "Provision summaries in Lao"),
        ("handouts", "Handouts in Lao"),
        ("modules_with_lao_plans", "Modules with a Lao lesson plan"),
        ("templates", "Plan templates in Lao"),
    ):
        done, of = report[key]
        missing += of - done
        click.echo(f"{label}: {done} of {of}")
    raise SystemExit(1 if missing else 0)


@curriculum_group.command("export")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def curriculum_export(path):
    """Write the curriculum in the database to PATH, in the format import reads."""
    with _sessions() as db:
        written = write_curriculum(content.export_curriculum(db), path)
    click.echo(f"Wrote {len(written)} files to {path}.")


@click.group("documents", help="Printable documents (PDF).")
def documents_group():
    pass


@documents_group.command("guide")
@click.option("--lang", "language", type=click.Choice(["en", "lo"]), default="en")
@click.option("--module", "codes", multiple=True, help="Only these modules (M01 ...); repeatable.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def documents_guide(language, codes, out):
    """Render the Trainers' Reference Guide (or some of its chapters) as a PDF.

    The parts that the document cache lacks are laid out in parallel processes, one per CPU."""
    codes = [c.upper() for c in codes] or None
    settings = current_app.extensions["ctg.documents"]
    with _sessions() as db:
        try:
            with process_pool(preload=guide_modules) as pool:
                document = render_guide(db, settings, language, codes, pool)
        except DomainError as exc:
            _fail(exc)
    out.write_bytes(document.path.read_bytes())
    click.echo(f"Wrote {out} ({out.stat().st_size // 1024} KB).")


# -- users -----------------------------------------------------------------------------------


@click.group("users", help="User accounts.")
def users_group():
    pass


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([str(role) for role in ROLES]))
@click.option("--name", default="", help="Defaults to the part of the email before @.")
@click.option("--language", default="en", type=click.Choice(["en", "lo"]))
@click.option(
    "--password",
    default=None,
    help="Asked for when not given. Use --generate-password for a random one.",
)
@click.option("--generate-password", is_flag=True, help="Generate a random password and print it.")
@with_appcontext
def users_create(email, role, name, language, password, generate_password):
    """Create an account."""
    if generate_password:
        password = accounts.generate_password()
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with _sessions() as db:
            user = accounts.create_user(
                db,
                SYSTEM,
                {
                    "email": email,
                    "name": name or email.split("@")[0],
                    "role": role,
                    "password": password,
                    "language": language,
                },
            )
            click.echo(f"Created {user.role} {user.email}.")
    except ValidationError as exc:
        _fail(exc)
    if generate_password:
        click.echo(f"Password: {password}")


@users_group.command("list")
@with_appcontext
def users_list():
    """List accounts."""
    with _sessions() as db:
        for user in accounts.list_users(db, SYSTEM):
            state = "" if user.active else "  (deactivated)"
            click.echo(f"{user.id:>4}  {user.role:<12} {user.email}  {user.name}{state}")


@users_group.command("set-password")
@click.option("--email", required=True)
@click.option("--password", default=None)
@with_appcontext
def users_set_password(email, password):
    """Set an account's password (for an administrator locked out of the web page)."""
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        with _sessions() as db:
            user = db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
            if user is None:
                raise click.ClickException(f"No account with the email {email}.")
            accounts.reset_password(db, SYSTEM, user.id, password)
    except ValidationError as exc:
        _fail(exc)
    click.echo("Password set.")


# -- backup, jobs, serve ---------------------------------------------------------------------


@click.command("backup")
@click.option(
    "--keep", type=click.IntRange(min=1), default=None, help="How many copies to keep (default 14)."
)
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None)
@with_appcontext
def backup_command(keep, directory):
    """Copy the SQLite database to instance/backups/ while the app runs."""
    keep = keep or current_app.config["BACKUP_KEEP"]
    directory = Path(directory or current_app.config["BACKUP_DIR"])
    try:
        path = backup_sqlite(current_app.config["DATABASE_URL"], directory, keep)
    except DomainError as exc:
        _fail(exc)
    kept = list_backups(directory)
    click.echo(
        f"Backup written: {path} ({path.stat().st_size} bytes); {len(kept)} kept in {directory}."
    )


@click.command("jobs")
@click.option("--workers", default=1, show_default=True)
@click.option(
    "--parent-fd",
    type=int,
    default=None,
    hidden=True,
    help="Read end of a pipe from the server that started the consumer: stop when it closes.",
)
@with_appcontext
def jobs_command(workers, parent_fd):
    """Run the background-job consumer (started by `make run`).

    One per instance folder: a second is refused while the first runs. With REDIS_URL,
    run one on each host (each with its own instance folder), or more --workers.
    """
    huey = current_app.extensions["huey"]
    try:
        with consumer_lock(Path(current_app.instance_path)):
            # An idle worker looks for a job at least once a second (Huey's default backs
            # off to 10 s): a queued document starts sooner, and a stop is not kept waiting.
            consumer = huey.create_consumer(
                workers=workers, periodic=True, check_worker_health=True, max_delay=1.0
            )
            if parent_fd is not None:
                stop_with_parent(consumer, parent_fd)
            # the processes that lay out the guide's parts fork from a server started now
            start_fork_server(preload=guide_modules)
            consumer.run()
    except ConsumerRunning as exc:
        raise click.ClickException(str(exc)) from None


def _app_import_path() -> str:
    """The --app (or FLASK_APP) this command was started with, for a child command."""
    info = click.get_current_context().find_object(ScriptInfo)
    return (info.app_import_path if info else None) or "app"


@click.command("serve")
@click.option(
    "--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="HOST or 127.0.0.1"
)
@click.option(
    "--port",
    default=lambda: int(os.environ.get("PORT", "5000")),
    type=int,
    show_default="PORT or 5000",
)
@click.option("--jobs/--no-jobs", default=True, help="Start the background-job consumer too.")
@with_appcontext
def serve_command(host, port, jobs):
    """Serve the app (with the job consumer beside it). For production use gunicorn: see README."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy
    consumer = None
    if jobs:
        # The consumer reads a pipe whose write end only this process holds (os.pipe's ends
        # are not inherited): when this process ends, even killed with SIGKILL, the kernel
        # closes it and the consumer stops instead of running on alone.
        read_end, write_end = os.pipe()
        consumer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                _app_import_path(),
                "jobs",
                "--parent-fd",
                str(read_end),
            ],
            pass_fds=(read_end,),
        )
        os.close(read_end)
    try:
        print_logins()
        click.echo(f"\nServing on http://{host}:{port}/ (Ctrl+C stops it)")
        # (Flask's app.run() refuses to run inside a `flask` command; this is what it calls.)
        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        if consumer is not None:
            consumer.terminate()
            consumer.wait(timeout=10)
            os.close(write_end)

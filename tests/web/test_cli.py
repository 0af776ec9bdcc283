"""Command-line tools: users, setup, demo data, backup while the app serves."""

import sqlite3
import threading
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app
from curriculum.db import make_engine
from curriculum.models import Trainer, User
from tests.conftest import CURRICULUM, app_config, fresh_database, prepare


@pytest.fixture
def cli_app(tmp_path):
    """An app on its own committed database, as `flask --app app ...` would use."""
    with fresh_database(tmp_path) as url:
        prepare(url)
        app = create_app(
            app_config(tmp_path, DATABASE_URL=url), instance_path=str(tmp_path / "instance")
        )
        yield app
        app.extensions["ctg.engine"].dispose()


def count_users(app):
    engine = app.extensions["ctg.engine"]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(User)).scalar()


def test_users_create_from_the_command_line(cli_app):
    runner = cli_app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Coord@Example.org",
            "--role",
            "coordinator",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created coordinator coord@example.org" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "coord@example.org",
            "--role",
            "viewer",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code != 0 and "already uses this email" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.org",
            "--role",
            "viewer",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "at least 12" in result.output
    for password, message in [
        ("password1234", "too common or too easy to guess"),
        ("x@example.org", "cannot be your email address"),
        ("\udcffcorrect horse", "characters that cannot be typed"),  # a byte that is not UTF-8
    ]:
        args = ["users", "create", "--email", "x@example.org", "--role", "viewer"]
        result = runner.invoke(args=[*args, "--password", password])
        assert result.exit_code == 1 and message in result.output, result.output
    result = runner.invoke(args=["users", "create", "--email", "x@example.org", "--role", "boss"])
    assert result.exit_code != 0
    assert count_users(cli_app) == 1
    result = runner.invoke(args=["users", "list"])
    assert "coord@example.org" in result.output


def test_setup_loads_demo_once_and_prints_logins(cli_app):
    runner = cli_app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "Demo data: 25 trainers added, 53 qualifications granted." in first.output
    assert "admin@ctg.example.org" in first.output
    password = first.output.split("the password of each is: ")[1].split()[0]
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0 and "Demo data" not in second.output and password in second.output
    client = cli_app.test_client()
    response = client.post("/login", data={"email": "admin@ctg.example.org", "password": password})
    assert response.status_code == 302
    with cli_app.extensions["ctg.engine"].connect() as conn:
        assert conn.execute(select(func.count()).select_from(Trainer)).scalar() == 25
    assert (
        runner.invoke(args=["seed-demo"]).output.strip()
        == "Demo data: 0 trainers added, 0 qualifications granted."
    )


@pytest.mark.sqlite_only
def test_backup_while_the_app_serves(cli_app, tmp_path):
    """`flask backup` during requests that write gives a valid database with every trainer."""
    runner = cli_app.test_cli_runner()
    assert runner.invoke(args=["setup"]).exit_code == 0
    server = make_server("127.0.0.1", 0, cli_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = threading.Event()
    url = f"http://127.0.0.1:{server.port}/login"

    def traffic():  # readers keep hitting the app while the copy is taken
        while not stop.is_set():
            urllib.request.urlopen(url, timeout=5).read()

    readers = [threading.Thread(target=traffic, daemon=True) for _ in range(2)]
    for reader in readers:
        reader.start()
    writer = make_engine(cli_app.config["DATABASE_URL"])
    try:
        with writer.begin() as conn:  # a write in flight as well
            conn.execute(Trainer.__table__.update().values(notes="updated during backup"))
            result = runner.invoke(args=["backup", "--keep", "3"])
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=10)
        server.shutdown()
        writer.dispose()
    assert result.exit_code == 0, result.output
    backup = result.output.split("Backup written: ")[1].split(" (")[0]
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM trainers").fetchone() == (25,)
    assert copy.execute("SELECT count(*) FROM users").fetchone()[0] >= 4
    copy.close()


@pytest.mark.postgresql_only
def test_backup_on_postgresql_says_to_use_pg_dump(cli_app):
    result = cli_app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0
    assert "pg_dump" in result.output


def test_nightly_backup_job_runs(cli_app, tmp_path):
    job = cli_app.extensions["ctg.jobs"]["nightly_backup"]
    job()  # immediate mode in tests: runs now
    backups = list((tmp_path / "backups").glob("ctg-*.sqlite3"))
    if cli_app.config["DATABASE_URL"].startswith("sqlite"):
        assert len(backups) == 1
    else:
        assert backups == []  # PostgreSQL is backed up with pg_dump, not by this job


def test_curriculum_import_of_a_broken_folder_names_file_and_line_and_changes_nothing(
    app, db, tmp_path
):
    import shutil

    from sqlalchemy import func, select

    from curriculum.models import ModuleRevision
    from tests.conftest import CURRICULUM

    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    path = folder / "m02-toc-tipp.md"
    path.write_text(path.read_text().replace("- TOC-18\n", "- TOC-99\n"))
    before = db.scalar(select(func.count()).select_from(ModuleRevision))
    result = app.test_cli_runner().invoke(args=["curriculum", "import", str(folder)])
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "TOC-99" in t)
    assert f"m02-toc-tipp.md, line {line}: unknown provision 'TOC-99'" in result.output
    assert "Nothing was imported" in result.output
    assert db.scalar(select(func.count()).select_from(ModuleRevision)) == before


def test_curriculum_export_then_import_changes_nothing_and_guide_command_writes_a_pdf(
    app, tmp_path
):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["curriculum", "export", str(tmp_path / "out")])
    shipped = [p for p in CURRICULUM.rglob("*") if p.is_file() and p.name != "README.md"]
    assert result.exit_code == 0 and f"Wrote {len(shipped)} files" in result.output
    result = runner.invoke(args=["curriculum", "import", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "0 created, 0 updated" in result.output
    out = tmp_path / "m04-lo.pdf"
    result = runner.invoke(
        args=["documents", "guide", "--lang", "lo", "--module", "M04", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_setup_adds_the_demo_lesson_plans_and_waiting_review(cli_app):
    from curriculum.models import LessonPlan

    runner = cli_app.test_cli_runner()
    assert runner.invoke(args=["setup"]).exit_code == 0
    with cli_app.extensions["ctg.engine"].connect() as conn:
        statuses = conn.execute(
            select(LessonPlan.status, func.count()).group_by(LessonPlan.status)
        ).all()
    shipped = len(list((CURRICULUM / "lesson-plans").glob("*.yaml")))
    assert dict(statuses) == {"approved": shipped, "in_review": 1, "draft": 1}


def test_setup_on_a_database_from_before_lesson_plans_adds_the_shipped_plans(cli_app):
    from curriculum.models import LessonPlan, Module

    engine = cli_app.extensions["ctg.engine"]
    with engine.begin() as conn:
        for table in (
            "lesson_activity_objectives",
            "lesson_objectives",
            "lesson_activities",
            "lesson_plan_provisions",
            "lesson_plan_handouts",
            "lesson_plans",
            "materials",
            "programmes",
        ):
            conn.exec_driver_sql(f"DELETE FROM {table}")
        conn.execute(
            Module.__table__.update().where(Module.code == "M01").values(title_en="Edited")
        )
    result = cli_app.test_cli_runner().invoke(args=["setup", "--no-demo"])
    assert result.exit_code == 0, result.output
    shipped = len(list((CURRICULUM / "lesson-plans").glob("*.yaml")))
    assert f"Lesson plans imported: {shipped} created" in result.output
    # and the handouts and programme outlines of a database from before them
    assert "Handouts and programme outlines imported" in result.output
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LessonPlan)).scalar() == shipped
        # the modules' own edits are kept
        assert (
            conn.execute(select(Module.title_en).where(Module.code == "M01")).scalar() == "Edited"
        )


def test_curriculum_gaps_lists_what_the_plans_leave_out(cli_app):
    from curriculum.content.checks import plan_coverage_gaps
    from curriculum.content.files import read_curriculum
    from tests.conftest import CURRICULUM

    cur = read_curriculum(CURRICULUM)
    expected = plan_coverage_gaps(cur.modules, cur.lesson_plans)
    result = cli_app.test_cli_runner().invoke(args=["curriculum", "gaps"])
    lines = result.output.strip().splitlines()
    assert lines == [*expected, f"{len(expected)} gap(s) in 10 modules."]
    assert result.exit_code == (1 if expected else 0)


def test_curriculum_lao_counts_the_lao_words_and_what_still_lacks_a_lao_text(cli_app, tmp_path):
    import re
    import shutil

    from curriculum.content.files import read_curriculum
    from curriculum.lao import words
    from tests.conftest import CURRICULUM

    row = re.compile(r"^  (M\d\d)  English +([\d,]+)  Lao +([\d,]+)$", re.M)
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["curriculum", "lao"])
    assert result.exit_code == 0, result.output
    counts = {code: int(lo.replace(",", "")) for code, _en, lo in row.findall(result.output)}
    assert sorted(counts) == [f"M{n:02d}" for n in range(1, 11)]
    assert all(lo > 1000 for lo in counts.values()), counts
    # words as ICU breaks them: a Lao sentence is several words, though written unspaced
    assert len([w for w in words("ຜູ້ເຄາະຮ້າຍມີສິດໄດ້ຮັບການຊ່ວຍເຫຼືອ") if w.strip()]) >= 4
    cur = read_curriculum(CURRICULUM)
    assert f"Glossary definitions in Lao: {len(cur.terms)} of {len(cur.terms)}" in result.output
    assert "Plan templates in Lao: 3 of 3" in result.output

    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    (folder / "m07-investigation-prosecution.lo.md").unlink()
    result = runner.invoke(args=["curriculum", "lao", str(folder)])
    assert result.exit_code == 1
    assert dict((c, lo) for c, _en, lo in row.findall(result.output))["M07"] == "0"

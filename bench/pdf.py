"""How long the whole Reference Guide takes to render, against headless Chromium in the same run.

Prints figures; not part of pass/fail. Run: .venv/bin/python bench/pdf.py [en|lo] [rounds]

Each figure is a new Python process (imports included) that renders the guide, as
``flask documents guide`` does; the median of ``rounds`` (default 3) is printed:

- one document (before): the whole guide laid out as one WeasyPrint document;
- cold: the guide put together from parts laid out in parallel processes (one per CPU),
  into an empty cache;
- one module edited: the same after a word of one chapter changed (the other parts come
  from the cache; the contents keep their numbers);
- one module grown: the same after a chapter grew by pages (the contents and the
  footers are laid out again too);
- Chromium: the same HTML and CSS as the one document, printed with
  ``chromium --headless --print-to-pdf`` (its start included);
- warm: 20 downloads through the app (test client, signed in) served from the cache.

Each Python figure also has the time its process spent after its imports (and before its
exit): what a running job consumer, which has imported everything once, spends on it.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy.orm import Session

from curriculum.permissions import SYSTEM

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.cli import upgrade_database  # noqa: E402
from curriculum.content.files import read_curriculum  # noqa: E402
from curriculum.db import make_engine  # noqa: E402
from curriculum.documents.guide import guide_data, guide_html  # noqa: E402
from curriculum.documents.render import ASSETS, Settings  # noqa: E402
from curriculum.seed.reference import seed_reference  # noqa: E402
from curriculum.services import accounts  # noqa: E402
from curriculum.services.content import get_module, import_curriculum, save_module  # noqa: E402

# The guide as one document, as it was rendered before it was put together from parts.
ONE_DOCUMENT = """
import sys, time
from pathlib import Path
from curriculum.db import make_engine
from sqlalchemy.orm import Session
from curriculum.documents.guide import guide_data, guide_html
from curriculum.documents.render import Settings, render_pdf
imported = time.perf_counter()
settings = Settings(Path(sys.argv[2]), Path(sys.argv[3]))
with Session(make_engine(sys.argv[1])) as session:
    html = guide_html(settings, guide_data(session, sys.argv[4]), sys.argv[4])
path = Path(sys.argv[2]) / "one-document.pdf"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_bytes(render_pdf(html))
print(time.perf_counter() - imported, path)
"""

# The guide as the command line renders it: parts in a pool, put together.
PARTS = """
import sys, time
from pathlib import Path
from curriculum.db import make_engine
from sqlalchemy.orm import Session
from curriculum.documents.guide import PRELOAD, render_guide
from curriculum.documents.parts import process_pool
from curriculum.documents.render import Settings
imported = time.perf_counter()
with Session(make_engine(sys.argv[1])) as session, process_pool(preload=PRELOAD) as pool:
    settings = Settings(Path(sys.argv[2]), Path(sys.argv[3]))
    document = render_guide(session, settings, sys.argv[4], pool=pool)
print(time.perf_counter() - imported, document.path)
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def cpu_of_children() -> float:
    """CPU seconds used so far by the ended processes this one waited for (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(script: str, url: str, cache: Path, translations: Path, language: str):
    """(wall seconds, CPU seconds, PDF path, seconds after the imports) of ``script`` in a
    new process."""
    cpu, started = cpu_of_children(), time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script, url, str(cache), str(translations), language],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    return time.perf_counter() - started, cpu_of_children() - cpu, Path(out[1]), float(out[0])


def edit(url: str, language: str, code: str, text: str = "") -> None:
    """Set module ``code``'s chapter to its shipped text with ``text`` after its first
    paragraph (the shipped text with none)."""
    with Session(make_engine(url)) as db:
        module = get_module(db, code)
        c = module.content
        language = language if c["body"].get(language) else "en"
        shipped = SHIPPED.setdefault((code, language), c["body"][language])
        head, _sep, rest = shipped.partition("\n\n")
        values = {
            **{k: c[k][language] for k in ("title", "summary", "audience")},
            "learning_outcomes": c["learning_outcomes"][language],
            "key_messages": c["key_messages"][language],
            "translation_status": c["translation"][language],
            "body": f"{head} {text}\n\n{rest}" if text else shipped,
            "comment": "bench",
        }
        if language == "en":
            values |= {"duration_minutes": c["duration_minutes"], "legal_review": "checked"}
        if values["body"] != c["body"][language]:
            save_module(db, SYSTEM, code, language, values, module.lock_version)
            db.commit()


SHIPPED: dict[tuple[str, str], str] = {}


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(language: str, rounds: int) -> None:
    translations = ROOT / "app" / "translations"
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        upgrade_database(url)
        with Session(make_engine(url)) as db:
            seed_reference(db)
            import_curriculum(db, SYSTEM, read_curriculum(ROOT / "modules"))
            accounts.create_user(
                db,
                SYSTEM,
                {
                    "email": "bench@example.org",
                    "name": "Bench",
                    "role": "viewer",
                    "password": "tamarind lantern orchid 7",
                    "language": "en",
                },
            )
            db.commit()
            html = guide_html(Settings(folder, translations), guide_data(db, language), language)
        page = folder / "guide.html"
        page.write_text(html.replace('href="guide.css"', f'href="{ASSETS.as_uri()}/guide.css"'))

        browser = chromium()
        figures: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        inside: dict[str, list[float]] = {}
        pages: dict[str, int] = {}
        cache = folder / "documents"

        def note(
            name: str, seconds: float, cpu_seconds: float, pdf: Path, after_imports: float = 0
        ) -> None:
            figures.setdefault(name, []).append(seconds)
            cpu.setdefault(name, []).append(cpu_seconds)
            inside.setdefault(name, []).append(after_imports)
            pages[name] = len(PdfReader(pdf).pages)

        for round_ in range(rounds):
            # Chromium first, then each way, so that every round meets the same machine
            if browser:
                target = folder / "chromium.pdf"
                before, t = cpu_of_children(), time.perf_counter()
                subprocess.run(
                    [
                        browser,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-pdf-header-footer",
                        "--allow-file-access-from-files",
                        f"--print-to-pdf={target}",
                        page.as_uri(),
                    ],
                    capture_output=True,
                    check=True,
                )
                note("chromium", time.perf_counter() - t, cpu_of_children() - before, target)
            edit(url, language, "M05")  # as shipped
            note("one document", *run(ONE_DOCUMENT, url, folder / "one", translations, language))
            shutil.rmtree(cache, ignore_errors=True)
            note("cold", *run(PARTS, url, cache, translations, language))
            edit(url, language, "M05", f"(Reviewed in round {round_ + 1}.)")
            note("one module edited", *run(PARTS, url, cache, translations, language))
            grown = f"(Round {round_ + 1}.) " + " ".join(["Indicators of trafficking."] * 400)
            edit(url, language, "M05", grown)
            note("one module grown", *run(PARTS, url, cache, translations, language))

        app = create_app(
            {
                "DATABASE_URL": url,
                "DOCUMENT_CACHE": str(cache),
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            },
            instance_path=str(folder / "instance"),
        )
        client = app.test_client()
        client.post(
            "/login", data={"email": "bench@example.org", "password": "tamarind lantern orchid 7"}
        )
        warm = []
        for _ in range(20):
            t = time.perf_counter()
            response = client.get(f"/library/guide.pdf?lang={language}")
            assert response.status_code == 200 and response.data.startswith(b"%PDF")
            warm.append(time.perf_counter() - t)
            response.close()
        warm.sort()

    print(
        f"Reference Guide ({language}), {pages['cold']} pages; new processes, median of "
        f"{rounds} rounds; {os.cpu_count()} CPUs; wall time (CPU time of all its processes)"
    )
    chrome = figures.get("chromium")
    targets = {"cold": 1.5, "one module edited": 1.2}
    for name in ("one document", "cold", "one module edited", "one module grown"):
        line = (
            f"  {name + ':':<22}{median(figures[name]):6.2f} s ({median(cpu[name]):5.2f} s CPU), "
            f"{pages[name]} pages"
        )
        if chrome:
            # each round against Chromium in that round (the machine may be shared)
            ratios = [s / c for s, c in zip(figures[name], chrome, strict=True)]
            line += f", {median(ratios):.2f} x Chromium"
            if name in targets:
                line += f" (target: {targets[name]:.1f} or less)"
        print(line)
    if chrome:
        print(
            f"  {'Chromium print:':<22}{median(chrome):6.2f} s ({median(cpu['chromium']):5.2f} s "
            f"CPU), {pages['chromium']} pages"
        )
    else:
        print("  Chromium not found: install Debian's chromium to compare")
    print(
        f"  {'warm, 20 downloads:':<22}median {statistics.median(warm) * 1000:.1f} ms, "
        f"p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.1f} ms (target: under 50 ms)"
    )
    print(
        "  after the imports (a running job consumer has them): "
        + ", ".join(
            f"{name} {median(inside[name]):.2f} s"
            for name in ("one document", "cold", "one module edited", "one module grown")
        )
    )
    print("  every round (s): " + "; ".join(f"{k} {v}" for k, v in _rounded(figures).items()))


def _rounded(figures: dict[str, list[float]]) -> dict[str, list[float]]:
    return {name: [round(s, 2) for s in values] for name, values in figures.items()}


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "en",
        int(sys.argv[2]) if len(sys.argv) > 2 else 3,
    )

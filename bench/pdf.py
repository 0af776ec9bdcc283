"""How long the whole Reference Guide takes to render, cold and warm, against headless Chromium.

Prints figures; not part of pass/fail. Run: .venv/bin/python bench/pdf.py [en|lo]

- cold: a new Python process renders the guide into an empty cache (imports included);
- warm: 20 downloads through the app (test client, signed in) served from the cache;
- Chromium: the same HTML and CSS printed with ``chromium --headless --print-to-pdf``.
"""

from __future__ import annotations

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
from curriculum.services.content import import_curriculum  # noqa: E402

COLD = """
import sys, time
from pathlib import Path
start = time.perf_counter()
from curriculum.db import make_engine
from sqlalchemy.orm import Session
from curriculum.documents.guide import render_guide
from curriculum.documents.render import Settings
with Session(make_engine(sys.argv[1])) as session:
    document = render_guide(session, Settings(Path(sys.argv[2]), Path(sys.argv[3])), sys.argv[4])
print(time.perf_counter() - start, document.path)
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def main(language: str) -> None:
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

        cache = folder / "documents"
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD, url, str(cache), str(translations), language],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        cold_wall = time.perf_counter() - started
        cold_inside, pdf_path = float(out[0]), Path(out[1])
        pages = len(PdfReader(pdf_path).pages)

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

        chrome_seconds = chrome_pages = None
        browser = chromium()
        if browser:
            page = folder / "guide.html"
            page.write_text(html.replace('href="guide.css"', f'href="{ASSETS.as_uri()}/guide.css"'))
            target = folder / "chromium.pdf"
            t = time.perf_counter()
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
            chrome_seconds = time.perf_counter() - t
            chrome_pages = len(PdfReader(target).pages)

    print(f"Reference Guide ({language}), {pages} pages")
    print(
        f"  cold, new process:    {cold_wall:.2f} s wall ({cold_inside:.2f} s inside the process)"
    )
    print(
        f"  warm, 20 downloads:   median {statistics.median(warm) * 1000:.1f} ms, "
        f"p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.1f} ms (target: under 50 ms)"
    )
    if chrome_seconds is not None:
        print(f"  Chromium print:       {chrome_seconds:.2f} s wall, {chrome_pages} pages")
        print(f"  WeasyPrint/Chromium:  {cold_wall / chrome_seconds:.2f} (target: 1.00 or less)")
    else:
        print("  Chromium not found: install Debian's chromium to compare")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "en")

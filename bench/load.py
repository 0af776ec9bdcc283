"""A bounded load test of the production recipe: signed-in users browsing for a fixed time.

Starts gunicorn (--workers, default 4) on a new PostgreSQL database with the demo data, the
sign-in limits on Redis (bench/stack.py); USERS threads each sign in with a session of
their own, then request the main pages one after another without pause, for SECONDS.
Loopback only; stops by itself; tears everything down. Prints requests per second, the
latency percentiles, and every error.

Run: .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import Browser, expect, production  # noqa: E402


def _pages(browser: Browser, host: str) -> list[str]:
    """The pages a coordinator opens: the main lists, a rollout, a workshop, its people."""
    body = browser.get(host + "/workshops/")[2].decode()
    workshop = re.findall(r'href="/workshops/(\d+)"', body)[0]
    rollout = re.findall(r'href="/workshops/rollouts/(\d+)"', body)[0]
    return [
        "/",
        "/trainers/",
        "/lessons/",
        f"/workshops/rollouts/{rollout}",
        f"/workshops/{workshop}",
        "/workshops/calendar",
        "/reports/",
        f"/participants/workshops/{workshop}",
        "/participants/?q=Khamphone",
    ]


def _user(host: str, cookie: str, pages: list[str], until: float, results: list, errors: Counter):
    address = urlsplit(host)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    n = 0
    while time.monotonic() < until:
        path = pages[n % len(pages)]
        n += 1
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - start
            if response.status != 200:
                errors[f"{response.status} {path}"] += 1
            else:
                results.append((path, took))
        except (OSError, http.client.HTTPException) as exc:
            errors[f"{type(exc).__name__} {path}"] += 1
            connection.close()
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.close()


def _cookie(browser: Browser) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with production({"web": args.workers}, consumer=False) as stack:
        host = stack.hosts["web"]
        browsers = [Browser() for _ in range(args.users)]
        for browser in browsers:
            status = browser.sign_in(host, "coordinator@ctg-demo.example", stack.password)
            expect(status == 302, f"sign in: {status}")
        pages = _pages(browsers[0], host)
        results: list[tuple[str, float]] = []
        errors: Counter = Counter()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=_user, args=(host, _cookie(b), pages, until, results, errors), daemon=True
            )
            for b in browsers
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 60)
        elapsed = time.monotonic() - began
    times = sorted(t for _path, t in results)
    if not times:
        raise SystemExit(f"no request succeeded; errors: {dict(errors)}")

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))] * 1000

    print(
        f"{args.users} users, {args.seconds:.0f} s, gunicorn -w {args.workers} + PostgreSQL + "
        f"Redis: {len(times)} requests, {len(times) / elapsed:.1f} per second, "
        f"p50 {pct(0.50):.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms, "
        f"{sum(errors.values())} errors"
    )
    by_page: dict[str, list[float]] = {}
    for path, took in results:
        by_page.setdefault(re.sub(r"\d+", "N", path), []).append(took * 1000)
    for path, values in sorted(by_page.items()):
        print(f"  {path:<32} {len(values):>6} requests, median {statistics.median(values):6.0f} ms")
    for what, count in errors.most_common():
        print(f"  error: {what} × {count}")


if __name__ == "__main__":
    main()

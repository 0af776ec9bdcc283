"""What refusing a spreadsheet bomb costs, against reading real lists of 20,000 rows.

Each file is read by ``read_table`` in a process of its own (capped at 1.5 GB of address
space and 20 s), which reports the seconds spent in the call and how far its peak
resident memory rose above what it held just before. Prints figures; not pass/fail.

Run: .venv/bin/python bench/import_bombs.py
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import workbooks  # noqa: E402


def real_list(path: Path, columns: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append([f"Heading {c}" for c in range(columns)])
    for i in range(20_000):
        sheet.append([f"Given{i}", f"Family{i}", "female", 1970 + i % 40, "LA-XI"][:columns])
        for c in range(5, columns):
            sheet.cell(row=i + 2, column=c + 1, value=f"note {i}.{c}")
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = {
            name: build(Path(folder) / f"{build.__name__}.xlsx")
            for name, build in workbooks.BOMBS.items()
        }
        for columns in (11, 30):
            name = f"a real list, 20,000 rows x {columns} columns"
            files[name] = real_list(Path(folder) / f"list{columns}.xlsx", columns)
        print(f"{'file':42} {'size':>9} {'seconds':>8} {'extra MB':>9}  outcome")
        for name, path in files.items():
            cost = workbooks.refusal_cost(path)
            seconds = "-" if cost["seconds"] is None else f"{cost['seconds']:.3f}"
            extra = "-" if cost["extra_mb"] is None else f"{cost['extra_mb']:.1f}"
            size = f"{path.stat().st_size / 1024:,.0f} KB"
            print(f"{name:42} {size:>9} {seconds:>8} {extra:>9}  {cost['outcome'][:90]}")


if __name__ == "__main__":
    main()

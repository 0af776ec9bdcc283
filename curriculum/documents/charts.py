"""Charts as SVG drawn on the server, so the page and the PDF show the same picture.

No script and no style attribute: the page's security policy allows neither, and
WeasyPrint draws plain SVG as it is.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

# Dark enough for white text and distinguishable without colour vision (with the labels).
COLOURS = ("#1f5f99", "#b8431c", "#2f7d32", "#6b4f9e", "#5d5d5d", "#8a6d00")
WIDTH = 600
LABEL_WIDTH = 190
VALUE_WIDTH = 110
ROW = 26
FONT = "Noto Sans, Noto Sans Lao, sans-serif"


def bar_chart(
    rows: list[tuple[str, int, Decimal | None]], *, title: str, chart_id: str, max_rows: int = 12
) -> Markup:
    """Horizontal bars, one per (label, count, percent) row, longest first as given;
    rows past ``max_rows`` are added up as one "…" bar so the total stays whole."""
    rows = list(rows)
    if len(rows) > max_rows:
        rest = rows[max_rows - 1 :]
        total = sum(r[1] for r in rows)
        rest_count = sum(r[1] for r in rest)
        share = (Decimal(rest_count) * 100 / total).quantize(Decimal("0.1")) if total else None
        rows = [*rows[: max_rows - 1], ("…", rest_count, share)]
    biggest = max((r[1] for r in rows), default=0) or 1
    height = 30 + ROW * max(len(rows), 1)
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<text x="0" y="16" font-family="{FONT}" font-size="14" font-weight="bold" '
        f'fill="#111">{escape(title)}</text>',
    ]
    for i, (label, count, percent) in enumerate(rows):
        y = 28 + i * ROW
        length = round(bar_space * count / biggest) if count else 0
        colour = COLOURS[i % len(COLOURS)]
        share_text = f" ({percent}%)" if percent is not None else ""
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-family="{FONT}" '
            f'font-size="12" fill="#111">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(length, 1)}" height="{ROW - 8}" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" font-family="{FONT}" '
            f'font-size="12" fill="#111">{count}{escape(share_text)}</text>'
        )
    if not rows:
        parts.append(f'<text x="0" y="44" font-family="{FONT}" font-size="12" fill="#111">–</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, limit: int = 28) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def report_charts(report, trainer_days=None) -> dict[str, Markup]:
    """The charts of a report: registrations by sex, by institution, by province, and
    trainer-days by institution when given."""
    from ..i18n import _

    charts = {
        "sex": bar_chart(
            [(str(s.label), s.count, s.percent) for s in report.by_sex.rows],
            title=str(_("Registrations by sex")),
            chart_id="chart-sex",
        ),
        "institution": bar_chart(
            [(c.key, c.count, c.percent) for c in report.by_institution],
            title=str(_("Registrations by institution")),
            chart_id="chart-institution",
        ),
        "province": bar_chart(
            [(c.key, c.count, c.percent) for c in report.by_province],
            title=str(_("Registrations by province")),
            chart_id="chart-province",
        ),
    }
    if trainer_days is not None and trainer_days.total:
        charts["trainer_days"] = bar_chart(
            [(c.key, c.count, c.percent) for c in trainer_days.by_institution],
            title=str(_("Trainer-days by institution")),
            chart_id="chart-trainer-days",
        )
    return charts

"""Bar charts drawn on the server, so the page and the PDF show the same picture.

A chart is an HTML table (a figure with its caption): each row has its label as text, the
bar as a small SVG rectangle, and the count with its share. The labels are HTML text, not
SVG text, so Lao is shaped the same in the browser and in the PDF (WeasyPrint draws SVG
text one character at a time, which leaves Lao vowels and tone marks on dotted circles).
No script and no style attribute: the page's security policy allows neither.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from ..i18n import _

# Dark enough to read beside the labels and distinguishable without colour vision.
COLOURS = ("#1f5f99", "#b8431c", "#2f7d32", "#6b4f9e", "#5d5d5d", "#8a6d00")
BAR_SCALE = 100  # the bar's SVG is 100 units wide; the longest bar fills it


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
    parts = [
        f'<figure class="chart" id="{chart_id}" aria-labelledby="{chart_id}-title">',
        f'<figcaption id="{chart_id}-title">{escape(title)}</figcaption>',
        '<table class="chart-rows">',
    ]
    for i, (label, count, percent) in enumerate(rows):
        length = round(BAR_SCALE * count / biggest, 1) if count else 0
        colour = COLOURS[i % len(COLOURS)]
        shown = f" ({percent}%)" if percent is not None else ""
        parts.append(
            f'<tr><th scope="row" class="chart-label">{escape(str(label))}</th>'
            f'<td class="chart-bar"><svg xmlns="http://www.w3.org/2000/svg" class="bar" '
            f'viewBox="0 0 {BAR_SCALE} 10" preserveAspectRatio="none" aria-hidden="true">'
            f'<rect x="0" y="0" width="{max(length, 0.5)}" height="10" fill="{colour}"/></svg></td>'
            f'<td class="chart-value">{count}{escape(shown)}</td></tr>'
        )
    if not rows:
        parts.append('<tr><td class="chart-value">–</td></tr>')
    parts.append("</table></figure>")
    return Markup("".join(parts))


def report_charts(report, trainer_days=None) -> dict[str, Markup]:
    """The charts of a report: registrations by sex, by institution, by province, and
    trainer-days by institution when given."""
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

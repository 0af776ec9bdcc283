"""Reports as PDF: the figures, tables and the same SVG charts as the page; the donor
report of a workshop adds the agenda as delivered, the team, scores and feedback."""

from __future__ import annotations

from .charts import report_charts
from .guide import page_label_css
from .render import (
    CachedDocument,
    Settings,
    add_line_breaks,
    cached,
    content_key,
    render_pdf,
    render_template,
    store,
)


def render_report(
    settings: Settings,
    language: str,
    *,
    title: str,
    scope: str,
    report,
    trainer_days,
    donor: dict | None = None,
    filename: str = "report.pdf",
) -> CachedDocument:
    charts = report_charts(report, trainer_days)
    data = [title, scope, repr(report), repr(trainer_days), repr(donor)]
    document = cached(settings, content_key("report", language, data), filename)
    if not document.ready:
        html = render_template(
            settings,
            language,
            "report.html",
            title=title,
            scope=scope,
            r=report,
            td=trainer_days,
            charts=charts,
            donor=donor,
            page_label=page_label_css(settings, language),
        )
        store(document, render_pdf(add_line_breaks(html)))
    return document

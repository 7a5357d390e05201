""" "What we heard": a proposal's report page, and each of its figures as a CSV file."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import URLS
from node.i18n import gettext_ as _
from node.services.consultation_report import Report, load_report
from node.services.errors import NotFound
from node.services.opinion_map_view import load_opinion_map
from node.services.report_csv import report_csv
from node.services.report_figures import TIMELINE, Figure
from node.services.report_text import figure_columns, figure_summary, figure_title, row_label
from web.charts import BarChart, Timeline, bar_chart, timeline
from web.forms import path_id


@dataclass(frozen=True)
class FigureView:
    """A figure as the page shows it: its words, its chart and its table."""

    figure: Figure
    title: str
    summary: str
    columns: tuple[str, ...]
    labels: list[str]
    chart: BarChart | Timeline

    @property
    def slug(self) -> str:
        return self.figure.slug

    @property
    def is_timeline(self) -> bool:
        return isinstance(self.chart, Timeline)


def figure_view(figure: Figure) -> FigureView:
    """The words, chart and table of one figure."""
    labels = [row_label(figure, row) for row in figure.rows]
    chart = timeline(figure) if figure.chart == TIMELINE else bar_chart(figure, labels)
    return FigureView(
        figure, figure_title(figure), figure_summary(figure), figure_columns(figure), labels, chart
    )


async def _report(request: web.Request) -> Report:
    try:
        return await load_report(path_id(request))
    except NotFound as error:
        raise web.HTTPNotFound(text=error.translated()) from None


async def report_page(request: web.Request) -> web.Response:
    """GET /proposals/{id}/report: what we heard, live until the decision freezes it."""
    report = await _report(request)
    context = {
        "report": report,
        "figures": [figure_view(figure) for figure in report.figures],
        "proposal_path": request.app[URLS].object_key(report.proposal_uri),
        "opinion_map": await load_opinion_map(report.proposal_id),  # as it stands now
    }
    return aiohttp_jinja2.render_template("consultation_report.html", request, context)


async def report_figure_csv(request: web.Request) -> web.Response:
    """GET /proposals/{id}/report/{figure}.csv: one figure's data, to download."""
    report = await _report(request)
    slug = request.match_info["figure"]
    text = report_csv(report, slug)
    if text is None:
        raise web.HTTPNotFound(text=_("This report has no such figure."))
    filename = f"proposal-{report.proposal_id}-{slug}.csv"
    return web.Response(
        text=text,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

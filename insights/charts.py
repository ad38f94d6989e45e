"""The dashboard's charts: what each one shows (labels, series, links to the matching claims)
and its drawing as SVG with pygal.

Why pygal: it draws on the server, in pure Python, so no script runs in the browser and
nothing comes from a CDN; the SVG goes inline into the page, where each bar is a real link and
the page's own stylesheet colours it (light and dark mode from the same CSS variables). pygal
writes a <style> and a configuration <script> into every SVG, which the strict CSP would
refuse inline: `inline_svg` removes both (and pygal's tooltip layer, which needs that script)
and the classes pygal puts on every part are styled in static/css/app.css. The download
(`standalone_svg`) keeps pygal's own stylesheet, so the file looks right on its own.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import pygal
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lxml import etree

from annotations.models import ClaimStatus

from .selectors import Dashboard, DashboardFilters

# The claim search (the `search` app, a higher layer: reached by URL name, never imported)
# reads these parameters: tag (id), outlet, cited, anonymous (yes|no|named|untagged), status,
# annotator (username), since/until (YYYY-MM-DD), article_outlet (the article's outlet,
# exact), language (the article's language code) and shared (yes: shared claims only).

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def claim_search_url(*, filters: DashboardFilters, **params: str | int | None) -> str:
    """The claim search for the claims a bar or cell counts: its own parameters on top of the
    dashboard's filters (the bar's value wins where both name one)."""
    query: dict[str, str | int] = {}
    if filters.since:
        query["since"] = filters.since.isoformat()
    if filters.until:
        query["until"] = filters.until.isoformat()
    if filters.tag is not None:
        query["tag"] = filters.tag
    if filters.annotator:
        query["annotator"] = filters.annotator
    if filters.status:
        query["status"] = filters.status
    # The dashboard's outlet filter is the article's outlet; the search's `outlet` is the one
    # a source tag names (the matrix's columns).
    if filters.outlet:
        query["article_outlet"] = filters.outlet
    if filters.language:
        query["language"] = filters.language
    if not filters.mine:  # the dashboard counted shared claims only
        query["shared"] = "yes"
    for name, value in params.items():
        if value is not None and value != "":
            query[name] = value
    return f"{reverse('search:search')}?{urlencode(query)}"


@dataclass
class Series:
    name: str
    values: list[int]
    links: list[str | None]


@dataclass
class Chart:
    key: str
    title: str
    description: str
    label_heading: str  # the first column of the data table and the CSV
    labels: list[str]
    series: list[Series]
    kind: str = "hbar"  # hbar, stacked (horizontal), bar (vertical)
    value_heading: str = ""  # the heading of the value column when there is one series
    empty: bool = field(init=False)

    def __post_init__(self) -> None:
        self.empty = not any(value for series in self.series for value in series.values)

    @property
    def headings(self) -> list[str]:
        if len(self.series) == 1:
            return [self.label_heading, self.value_heading or self.series[0].name]
        return [self.label_heading, *[series.name for series in self.series]]

    @property
    def rows(self) -> list[tuple[str, list[tuple[int, str | None]]]]:
        """Per label: its values with their links (the data table under the chart)."""
        return [
            (
                label,
                [(series.values[i], series.links[i]) for series in self.series],
            )
            for i, label in enumerate(self.labels)
        ]


def _mix_chart(data: Dashboard, filters: DashboardFilters) -> Chart:
    labels = [_("Anonymous sources"), _("Named sources only"), _("No source tag")]
    return Chart(
        key="mix",
        title=_("Anonymous or named sources"),
        description=_(
            "Claims resting on at least one anonymous source, on named sources only, or untagged."
        ),
        label_heading=_("Sources"),
        labels=labels,
        series=[
            Series(
                _("Claims"),
                [data.anonymous, data.named, data.untagged],
                [
                    claim_search_url(filters=filters, anonymous="yes"),
                    claim_search_url(filters=filters, anonymous="named"),
                    claim_search_url(filters=filters, anonymous="untagged"),
                ],
            )
        ],
    )


def _top_chart(
    key: str, title: str, description: str, heading: str, rows, param: str, filters
) -> Chart:
    return Chart(
        key=key,
        title=title,
        description=description,
        label_heading=heading,
        labels=[name for name, _count in rows],
        series=[
            Series(
                _("Claims"),
                [count for _name, count in rows],
                [claim_search_url(filters=filters, **{param: name}) for name, _count in rows],
            )
        ],
    )


def _matrix_chart(data: Dashboard, filters: DashboardFilters) -> Chart:
    series = [
        Series(
            column,
            [row[j] for row in data.matrix_cells],
            [
                claim_search_url(filters=filters, article_outlet=name, outlet=column)
                for name in data.matrix_rows
            ],
        )
        for j, column in enumerate(data.matrix_columns)
    ]
    return Chart(
        key="matrix",
        title=_("Which outlets relay whom"),
        description=_(
            "Claims per article outlet (rows) and the outlet or agency its source tag names "
            "(columns)."
        ),
        label_heading=_("Article outlet"),
        labels=list(data.matrix_rows),
        series=series,
        kind="stacked",
    )


def _status_chart(data: Dashboard, filters: DashboardFilters) -> Chart:
    series = [
        Series(
            str(label),
            [counts[value] for _pk, _label, counts in data.status_sources],
            [
                claim_search_url(filters=filters, tag=pk, status=value)
                for pk, _label, _counts in data.status_sources
            ],
        )
        for value, label in ClaimStatus.choices
    ]
    return Chart(
        key="status",
        title=_("Status per source"),
        description=_("How the claims of the most used source tags were judged."),
        label_heading=_("Source tag"),
        labels=[label for _pk, label, _counts in data.status_sources],
        series=series,
        kind="stacked",
    )


def _weeks_chart(data: Dashboard, filters: DashboardFilters) -> Chart:
    def week_link(week: date) -> str:
        return claim_search_url(
            filters=filters,
            since=max(week, filters.since or week).isoformat(),
            until=min(
                week + timedelta(days=6), filters.until or week + timedelta(days=6)
            ).isoformat(),
        )

    return Chart(
        key="weeks",
        title=_("Claims per week"),
        description=_("Claims made per calendar week (weeks start on Monday)."),
        label_heading=_("Week of"),
        labels=[week.isoformat() for week, _count in data.weeks],
        series=[
            Series(
                _("Claims"),
                [count for _week, count in data.weeks],
                [week_link(week) for week, _count in data.weeks],
            )
        ],
        kind="bar",
    )


def dashboard_charts(*, data: Dashboard, filters: DashboardFilters) -> list[Chart]:
    return [
        _mix_chart(data, filters),
        _top_chart(
            "cited",
            _("Top cited sources"),
            _("The sources claims cite most (the “cited” part of their source tags)."),
            _("Cited source"),
            data.top_cited,
            "cited",
            filters,
        ),
        _top_chart(
            "outlets",
            _("Top relaying outlets"),
            _("The outlets and agencies named in source tags, by claims."),
            _("Outlet or agency"),
            data.top_outlets,
            "outlet",
            filters,
        ),
        _matrix_chart(data, filters),
        _status_chart(data, filters),
        _weeks_chart(data, filters),
    ]


# --- drawing ----------------------------------------------------------------------------------

# Drawn at about the size a dashboard card shows it, so the text stays near its set size
# (13px) from a phone (scaled to ~0.8) to a wide screen; app.css sets the same font sizes,
# which pygal uses to make room for labels and legends.
CHART_WIDTH = 440
BAR_HEIGHT = 26
LEGEND_COLUMNS = 2
LEGEND_ROW = 22
LABEL_CHARACTERS = 20


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _height(chart: Chart, *, standalone: bool) -> int:
    legend_rows = -(-len(chart.series) // LEGEND_COLUMNS) if len(chart.series) > 1 else 0
    if not standalone:
        legend_rows = 0  # on the page the legend is HTML under the chart (chart_card.html)
    if chart.kind == "bar":
        return 300
    legend = LEGEND_ROW * legend_rows + (40 if legend_rows else 0)
    return 50 + BAR_HEIGHT * max(1, len(chart.labels)) + legend


def _config(chart: Chart, *, standalone: bool) -> dict:
    vertical = chart.kind == "bar"
    return {
        "js": [],
        "disable_xml_declaration": True,
        "width": CHART_WIDTH,
        "height": _height(chart, standalone=standalone),
        "show_legend": standalone and len(chart.series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": LEGEND_COLUMNS,
        "legend_box_size": 11,
        "print_values": chart.kind == "hbar",
        "truncate_label": LABEL_CHARACTERS,
        "truncate_legend": 18,
        "margin": 8,
        "spacing": 6,
        "show_y_guides": vertical,
        "show_x_guides": not vertical,
        "x_label_rotation": 45 if vertical else 0,
        "x_labels_major_every": max(1, len(chart.labels) // 6) if vertical else None,
        "show_minor_x_labels": not vertical or len(chart.labels) <= 8,
        "no_data_text": _("No claims"),
        "style": pygal.style.Style(
            background="transparent" if not standalone else "#ffffff",
            plot_background="transparent" if not standalone else "#ffffff",
            font_family="system-ui, sans-serif",
            label_font_size=13,
            major_label_font_size=13,
            legend_font_size=13,
            value_font_size=12,
            colors=PALETTE_LIGHT,
        ),
    }


GRAPHS = {"stacked": pygal.HorizontalStackedBar, "bar": pygal.Bar, "hbar": pygal.HorizontalBar}


def _pygal_chart(chart: Chart, *, standalone: bool):
    drawing = GRAPHS[chart.kind](**_config(chart, standalone=standalone))
    _add_series(drawing, chart, standalone=standalone)
    return drawing


def _add_series(drawing, chart: Chart, *, standalone: bool) -> None:
    # pygal shortens only the labels under a vertical chart: the full label is in each bar's
    # hover title and in the data table.
    labels = [_shorten(label) for label in chart.labels]
    series = chart.series
    if chart.kind != "bar":  # pygal draws the first label at the bottom: keep reading order
        labels = labels[::-1]
        series = [Series(s.name, s.values[::-1], s.links[::-1]) for s in series]
    drawing.x_labels = labels
    for one in series:
        values = []
        full_labels = chart.labels[::-1] if chart.kind != "bar" else chart.labels
        for label, value, link in zip(full_labels, one.values, one.links, strict=True):
            point: dict = {"value": value or None, "label": f"{label}: {one.name} {value}"}
            if link and value and not standalone:
                point["xlink"] = {"href": link, "target": "_top"}
            values.append(point)
        drawing.add(one.name, values)


# Colours for the standalone file (light). Inline, app.css sets them from its variables.
PALETTE_LIGHT = (
    "#1d5fa7",
    "#b35900",
    "#2e7d32",
    "#8e24aa",
    "#c62828",
    "#00796b",
    "#5d4037",
    "#455a64",
)


def standalone_svg(chart: Chart) -> str:
    """The chart as an SVG file: pygal's output with its stylesheet, without its script."""
    root = etree.fromstring(_pygal_chart(chart, standalone=True).render())
    for script in root.iter(f"{{{SVG_NS}}}script"):
        script.getparent().remove(script)
    _remove_tooltips(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(root, encoding="unicode")


def _remove_tooltips(root) -> None:
    for element in root.iter(f"{{{SVG_NS}}}g"):
        if "tooltip-overlay" in (element.get("class") or "").split():
            element.getparent().remove(element)
            break


def inline_svg(chart: Chart, *, title_id: str) -> str:
    """The chart for the page: no <style>, <script>, comments or ids (CSP, and unique ids on a
    page with many charts); a native tooltip (<title>) on every bar; an accessible name."""
    root = etree.fromstring(_pygal_chart(chart, standalone=False).render())
    for element in list(root.iter(f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}script", etree.Comment)):
        element.getparent().remove(element)
    _remove_tooltips(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.attrib.pop("id", None)
        element.attrib.pop("style", None)
        if element.tag == f"{{{SVG_NS}}}desc" and element.get("class") == "label":
            element.tag = f"{{{SVG_NS}}}title"  # a hover text naming the bar and its count
            element.attrib.pop("class")
        elif element.tag == f"{{{SVG_NS}}}a":
            # SVG 2's plain href (what the page's links and tests read); the data table
            # below has the same links for keyboards and screen readers.
            element.set("href", element.attrib.pop(f"{{{XLINK_NS}}}href", ""))
            element.attrib.pop("target", None)
            element.set("tabindex", "-1")
    for desc in list(root.iter(f"{{{SVG_NS}}}desc")):
        desc.getparent().remove(desc)
    for title in list(root.findall(f"{{{SVG_NS}}}title")):
        root.remove(title)
    # A group, not an image: its bars are links (axe's nested-interactive forbids links inside
    # role=img); the heading names it and the data table below reads it out.
    root.set("role", "group")
    root.set("aria-labelledby", title_id)
    root.set("class", f"chart-svg chart-svg--{chart.kind} chart-svg--{chart.key}")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    return etree.tostring(root, encoding="unicode")


def dashboard_cards(*, data: Dashboard, filters: DashboardFilters, query: str) -> str:
    """All chart cards (chart, data table, downloads): reused whole while the numbers are the
    same, else card by card (`card_html`)."""
    per_reader = ("counted_at", "recounting", "own_unshared")  # not drawn in the cards
    numbers = {k: v for k, v in asdict(data).items() if k not in per_reader}
    content = repr((numbers, query, get_language()))
    key = "insights:cards:" + hashlib.sha256(content.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = format_html_join(
            "\n",
            "{}",
            (
                (card_html(chart, query=query),)
                for chart in dashboard_charts(data=data, filters=filters)
            ),
        )
        cache.set(key, html, CARD_CACHE_SECONDS)
    return html  # a SafeString (kept as one by the cache's pickle)


def card_html(chart: Chart, *, query: str) -> SafeString:
    """One chart's card, reused while its content is the same: pygal takes 20-300 ms a chart
    and the table hundreds of template nodes. Charts are cached one by one, so a reader whose
    own private claims change only some of them (the totals, the weeks) redraws only those."""
    content = repr(
        (
            chart.key,
            chart.kind,
            chart.labels,
            [(one.name, one.values, one.links) for one in chart.series],
            query,
            get_language(),
        )
    )
    key = "insights:card:" + hashlib.sha256(content.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        svg = "" if chart.empty else inline_svg(chart, title_id=f"chart-{chart.key}")
        # lxml wrote the SVG: every label in it is escaped.
        context = {"chart": chart, "query": query, "svg": mark_safe(svg)}  # noqa: S308
        html = render_to_string("insights/chart_card.html", context)
        cache.set(key, html, CARD_CACHE_SECONDS)
    return html  # a SafeString (kept as one by the cache's pickle)


CARD_CACHE_SECONDS = 3600


def chart_csv(chart: Chart) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(chart.headings)
    for label, values in chart.rows:
        writer.writerow([label, *[value for value, _link in values]])
    return out.getvalue()


@dataclass
class Segment:
    key: str
    label: str
    count: int
    x: float  # percent of the bar's width
    width: float


def segments(parts: list[tuple[str, str, int]]) -> list[Segment]:
    """A 100 % stacked bar (the reading page's small summary charts): drawn as SVG rectangles
    whose sizes are attributes, not style, so the strict CSP allows them."""
    total = sum(count for _key, _label, count in parts)
    result, x = [], 0.0
    for key, label, count in parts:
        if not count:
            continue
        width = 100 * count / total
        result.append(Segment(key, label, count, round(x, 3), round(width, 3)))
        x += width
    return result

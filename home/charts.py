"""The home page's charts, drawn on the server by pygal as SVG put inline in the page: no
JavaScript, nothing loaded from elsewhere. pygal's own <style> and <script> are taken out (the
Content-Security-Policy refuses inline ones, config/settings.py); static/qlcb/qlcb.css styles the
charts instead, in the project's colours, and they scale to the width of their box (a phone's
too). Numbers in Vietnamese (thousands "1.234")."""

import xml.etree.ElementTree as ET

import pygal
import pygal.style
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

SVG = "{http://www.w3.org/2000/svg}"
WIDTH, HEIGHT = 420, 280  # the viewBox: on a 390 px phone the 14-unit text is still about 11 px
FONT = 14  # pygal lays the chart out for this size; qlcb.css draws the text at it


def _style():
    size = {f"{part}_font_size": FONT for part in ("label", "major_label", "legend", "value", "value_label", "title")}
    return pygal.style.Style(font_family="Roboto, sans-serif", no_data_font_size=20, **size)


def _ticks(highest: int) -> list[int]:
    """Whole-number ticks from 0 past `highest`, at most about six (people are counted whole)."""
    step = 1
    while highest / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if highest / step <= 5:
                break
    return list(range(0, highest + step, step)) if highest else [0, 1]


def vi_number(value) -> str:
    return number_format(int(value or 0), force_grouping=True)


def _config(**options) -> dict:
    return {
        "js": [],
        "css": [],
        "no_prefix": True,
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": WIDTH,
        "height": HEIGHT,
        "value_formatter": vi_number,
        "formatter": vi_number,
        "no_data_text": _("Chưa có số liệu"),
        "print_values": True,
        "print_zeroes": False,
        "show_legend": False,  # the page lists the series under the chart (HTML wraps; pygal's legend does not)
        "truncate_label": -1,
        "margin": 8,
        "style": _style(),
        **options,
    }


def _points(values: list, links: list | None) -> list:
    """pygal's values, each a link to the list it counts (an SVG <a>, no script) where `links`
    gives one; a zero draws nothing, so it has none."""
    if not links:
        return list(values)
    return [{"value": v, "xlink": {"href": url}} if url and v else v for v, url in zip(values, links, strict=True)]


def _svg(chart, label: str) -> str:
    """The chart as an inline <svg> element, without pygal's style, script, comments and
    title: an image for assistive technology, named by `label` (the figure's caption)."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag in (f"{SVG}defs", f"{SVG}script", "defs", "script") or not isinstance(child.tag, str):
                parent.remove(child)
    for title in [t for t in tree if t.tag in (f"{SVG}title", "title")]:
        tree.remove(title)
    tree.attrib.pop("id", None)
    tree.set("role", "img")
    tree.set("aria-label", label)
    tree.set("class", "pygal-chart qlcb-chart__svg")
    ET.register_namespace("", SVG[1:-1])
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return mark_safe(ET.tostring(tree, encoding="unicode"))


def stacked_units(label: str, units: list[str], series: list[tuple[str, list[int]]], links=None) -> str:
    """Headcount of each unit, stacked by category (one bar per unit, largest first); `links`:
    for each series, the URL of each unit's part (or None)."""
    totals = [sum(values[i] for _name, values in series) for i in range(len(units))]
    chart = pygal.HorizontalStackedBar(
        **_config(
            height=max(HEIGHT, 60 + 34 * len(units)),
            truncate_label=22,
            print_values=False,
            y_labels=_ticks(max(totals, default=0)),
        )
    )
    chart.x_labels = [str(u) for u in reversed(units)]
    for index, (name, values) in enumerate(series):
        urls = list(reversed(links[index])) if links else None
        chart.add(str(name), _points(list(reversed(values)), urls))
    return _svg(chart, label)


def grouped_units(label: str, units: list[str], series: list[tuple[str, list[int]]]) -> str:
    """Two figures per unit side by side (quota approved and people on it)."""
    highest = max((v for _name, values in series for v in values), default=0)
    chart = pygal.HorizontalBar(
        **_config(
            height=max(HEIGHT, 60 + 44 * len(units)), truncate_label=22, print_values=False, y_labels=_ticks(highest)
        )
    )
    chart.x_labels = [str(u) for u in reversed(units)]
    for name, values in series:
        chart.add(str(name), list(reversed(values)))
    return _svg(chart, label)


def stacked_columns(label: str, columns: list[str], series: list[tuple[str, list[int]]], links=None) -> str:
    """Columns (age bands, months) stacked by series (sex); `links` as stacked_units'."""
    totals = [sum(values[i] for _name, values in series) for i in range(len(columns))]
    chart = pygal.StackedBar(**_config(print_values=False, y_labels=_ticks(max(totals, default=0))))
    chart.x_labels = [str(c) for c in columns]
    for index, (name, values) in enumerate(series):
        chart.add(str(name), _points(values, links[index] if links else None))
    return _svg(chart, label)


def columns(label: str, columns: list[str], values: list[int], name: str, links=None) -> str:
    """One figure per column (retirements by month); `links`: each column's URL (or None)."""
    chart = pygal.Bar(**_config(x_label_rotation=-45, y_labels=_ticks(max(values, default=0))))
    chart.x_labels = [str(c) for c in columns]
    chart.add(str(name), _points(values, links))
    return _svg(chart, label)


def parts(label: str, slices: list[tuple[str, int]], links=None) -> str:
    """Shares of a whole (headcount by category), as a ring; `links`: each slice's URL (or None)."""
    chart = pygal.Pie(**_config(inner_radius=0.45, print_values=True))
    for index, (name, value) in enumerate(slices):
        chart.add(str(name), _points([value], [links[index]] if links else None))
    return _svg(chart, label)

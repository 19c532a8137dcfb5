"""Small server-side SVG charts for the admin (no JavaScript, nothing downloaded).

Every chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>``, and every bar has
its own ``<title>`` (a tooltip, read by screen readers). All text goes through
``format_html``, so lesson titles are escaped. Colours come from Wagtail's admin theme
variables, so the charts follow light and dark mode.
"""

import itertools
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

TONES = {
    "good": "var(--w-color-secondary, #007d7e)",
    "bad": "var(--w-color-critical-200, #cd4444)",
    "neutral": "var(--w-color-primary, #2e1f5e)",
    "muted": "var(--w-color-grey-150, #e0e0e0)",
    "muted-strong": "var(--w-color-grey-400, #8f8f8f)",
}
TEXT = "var(--w-color-text-context, #262626)"
META = "var(--w-color-text-meta, #5c5c5c)"
AXIS = "var(--w-color-border-furniture, #e0e0e0)"

_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as shown next to the bar
    tone: str = "neutral"
    detail: str = ""  # added to the bar's tooltip


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def horizontal_bar_chart(
    bars: list[Bar],
    *,
    title: str,
    description: str = "",
    width: int = 760,
    label_width: int = 280,
    value_width: int = 110,
    row_height: int = 0,
) -> SafeString:
    """One horizontal bar per item; negative values grow left of a zero line."""
    chart_id = f"chart-{next(_ids)}"
    row_height = row_height or (26 if len(bars) <= 12 else 22)
    if not bars:
        return SafeString("")
    low = min(0.0, *(bar.value for bar in bars))
    high = max(0.0, *(bar.value for bar in bars))
    span = (high - low) or 1.0
    plot_left, plot_right = label_width + 8, width - value_width
    plot_width = plot_right - plot_left

    def x(value: float) -> float:
        return plot_left + (value - low) / span * plot_width

    top = 6
    height = top * 2 + row_height * len(bars)
    zero = x(0.0)
    rows = []
    for index, bar in enumerate(bars):
        y = top + index * row_height
        start, end = sorted((x(0.0), x(bar.value)))
        tooltip = f"{bar.label}: {bar.display}" + (f" ({bar.detail})" if bar.detail else "")
        rows.append(
            format_html(
                "<g><title>{}</title>"
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" '
                'style="fill: {}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" style="fill: {}"></rect>'
                '<text x="{}" y="{}" dominant-baseline="middle" style="fill: {}">{}</text></g>',
                tooltip,
                label_width,
                y + row_height / 2,
                TEXT,
                _shorten(bar.label, 40),
                f"{start:.1f}",
                y + 4,
                f"{max(end - start, 1 if bar.value else 0):.1f}",
                row_height - 8,
                TONES.get(bar.tone, TONES["neutral"]),
                plot_right + 10,
                y + row_height / 2,
                META,
                bar.display,
            )
        )
    return format_html(
        '<svg class="waypoint-chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'style="max-width: 100%; height: auto; font-size: 13px">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{zero}" x2="{zero}" y1="0" y2="{h}" style="stroke: {axis}"></line>'
        "{rows}</svg>",
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description or title,
        zero=f"{zero:.1f}",
        axis=AXIS,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )


def funnel_chart(
    stages: list[tuple[str, int]],
    *,
    title: str,
    description: str = "",
    width: int = 760,
    label_width: int = 280,
) -> SafeString:
    """Bars for successive stages, each with its count and its share of the first stage."""
    first = stages[0][1] if stages else 0
    bars = []
    for label, count in stages:
        share = f"{count / first:.0%}" if first else "–"
        bars.append(Bar(label, count, f"{count:,} · {share}", tone="neutral", detail=share))
    return horizontal_bar_chart(
        bars, title=title, description=description, width=width, label_width=label_width
    )

"""Inline SVG charts of the console's dashboard (presentation only: the
figures come from :mod:`recon.dashboard`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypedDict

from ledger.money import format_minor
from recon.dashboard import Dashboard


class ReceiptsChart(TypedDict):
    currency: str
    svg: str
    count: int
    amount_minor: int


def money(amount: Any, currency: str = "") -> str:
    """Minor units for display: thousands separated, the currency's decimals."""
    if amount is None:
        return ""
    try:
        text = format_minor(int(amount), currency) if currency else str(amount)
    except Exception:  # noqa: BLE001 - unknown currency: plain integer
        text = str(amount)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}" if whole.isdigit() else whole
    return f"{sign}{grouped}{'.' + frac if frac else ''}"


def esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude: int = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return float(10 * magnitude)


def bar_chart_svg(
    title: str, days: list[date], bars: Sequence[float], bar_labels: list[str], line: Sequence[float] | None = None, *, y_label: str = "",
    line_label: str = "", y_max: float | None = None, line_max: float | None = None, y_format: Callable[[float], str] = lambda v: f"{v:,.0f}",
    marks: list[bool] | None = None,
) -> str:
    """A bar chart (one bar a day) with an optional line on a right axis, as
    inline SVG.  Every bar has a <title> (tooltip and screen readers)."""
    width, height, left, right, top, bottom = 760, 240, 70, 50 if line is not None else 16, 24, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(days), 1)
    slot = plot_w / n
    top_value = y_max if y_max is not None else nice_ceiling(max(bars, default=0))
    # counts: a multiple of 4, so the right axis' five ticks are whole numbers
    line_top = line_max if line_max is not None else 4 * max(1, -(-int(max(line or [0], default=0)) // 4))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">', f"<title>{esc(title)}</title>"]
    # grid and left axis
    for i in range(5):
        v = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d8dde6" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#4a5568">{esc(y_format(v))}</text>')
        if line is not None:
            lv = line_top * i / 4
            out.append(f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" font-size="11" fill="#b7410e">{lv:,.0f}</text>')
    if y_label:
        out.append(f'<text x="{left}" y="{top - 8}" font-size="11" fill="#4a5568">{esc(y_label)}</text>')
    if line is not None and line_label:
        out.append(f'<text x="{left + plot_w}" y="{top - 8}" text-anchor="end" font-size="11" fill="#b7410e">{esc(line_label)}</text>')
    for i, (d, v) in enumerate(zip(days, bars, strict=False)):
        h = 0 if top_value <= 0 else plot_h * max(v, 0) / top_value
        x = left + i * slot + slot * 0.15
        y = top + plot_h - h
        label = bar_labels[i] if i < len(bar_labels) else ""
        out.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="#2b6cb0" data-date="{d.isoformat()}" data-value="{v}"><title>{esc(label)}</title></rect>')
        if marks is not None and i < len(marks) and marks[i]:
            # a day with data, visible even when its bar is zero
            out.append(f'<circle class="mark" cx="{left + i * slot + slot / 2:.1f}" cy="{top + plot_h:.1f}" r="3" fill="#1a365d"><title>{esc(label)}</title></circle>')
        if i % 5 == 0 or i == n - 1:
            out.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - 14}" text-anchor="middle" font-size="10" fill="#4a5568">{d.strftime("%m-%d")}</text>')
    if line is not None and line_top > 0:
        points = " ".join(f"{left + i * slot + slot / 2:.1f},{top + plot_h - plot_h * max(v, 0) / line_top:.1f}" for i, v in enumerate(line))
        out.append(f'<polyline points="{points}" fill="none" stroke="#b7410e" stroke-width="2"/>')
        for i, v in enumerate(line):
            if v:
                out.append(f'<circle cx="{left + i * slot + slot / 2:.1f}" cy="{top + plot_h - plot_h * v / line_top:.1f}" r="2.5" fill="#b7410e"/>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#4a5568" stroke-width="1"/>')
    out.append("</svg>")
    return "".join(out)


def _amount_axis(currency: str) -> Callable[[float], str]:
    """Axis labels of amounts in ``currency``: whole units, thousands separated."""

    def label(v: float) -> str:
        return money(int(v), currency).rsplit(".", 1)[0]

    return label


def receipts_charts(board: Dashboard) -> list[ReceiptsChart]:
    """One chart per currency: the daily gross amount (bars) and count (line)."""
    charts: list[ReceiptsChart] = []
    days = board.days
    for cur in sorted({r["currency"] for r in board.receipts}):
        by_day = {r["date"]: r for r in board.receipts if r["currency"] == cur}
        amounts = [by_day[d]["amount_minor"] if d in by_day else 0 for d in days]
        counts = [by_day[d]["count"] if d in by_day else 0 for d in days]
        labels = [f"{d.isoformat()}: {counts[i]} receipt(s), {money(amounts[i], cur)} {cur}" for i, d in enumerate(days)]
        svg = bar_chart_svg(
            f"Daily receipts in {cur}, last 30 days: amount (bars) and count (line)", days, list(amounts), labels, list(counts),
            y_label=f"gross amount ({cur})", line_label="count", y_format=_amount_axis(cur),
        )
        charts.append(ReceiptsChart(currency=cur, svg=svg, count=sum(counts), amount_minor=sum(amounts)))
    return charts


def match_rate_svg(board: Dashboard) -> str:
    """The daily match rate of statement lines as bars ("" without any line)."""
    if not board.match_rates:
        return ""
    days = board.days
    by_day = {r["date"]: r for r in board.match_rates}
    values = [float(by_day[d]["rate"]) if d in by_day else 0 for d in days]
    labels = [f"{d.isoformat()}: {by_day[d]['rate']}% of {by_day[d]['lines']} line(s) matched" if d in by_day else f"{d.isoformat()}: no statement lines" for d in days]
    return bar_chart_svg("Daily match rate of statement lines, last 30 days (%)", days, values, labels, y_label="matched %", y_max=100,
                         y_format=lambda v: f"{v:.0f}%", marks=[d in by_day for d in days])

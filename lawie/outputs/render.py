"""HTML views of reports: the raw text with entities highlighted, typed sections and an indicator table.

The entity markup is spaCy's displaCy (``style="ent"``, manual mode) with
lawie's palette; everything else is plain HTML with inline styles, so a page
is one self-contained file that works offline: no scripts, no external
stylesheets, fonts or images. Every piece of text that comes from a report
is escaped.

>>> from lawie.outputs.render import render_page
>>> html = render_page([report], titles=["report.txt"])

``displacy_options`` is exported for users who call displaCy themselves::

    displacy.render(doc, style="ent", options=lawie.displacy_options)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from spacy import displacy

from ..errors import Errors
from ..labels import ENTITY_COLORS, ENTITY_DESCRIPTIONS, INDICATOR_LABELS, SECTION_COLORS, SECTION_DESCRIPTIONS

UNKNOWN_COLOR = "#dddddd"

#: Options for :func:`spacy.displacy.render`: lawie's entity labels and palette.
#: ``colors`` also holds the section colours, so the same options work with
#: ``style="span"`` and ``spans_key="sections"``. Copy it before changing it.
displacy_options: dict[str, Any] = {
    "ents": list(ENTITY_COLORS),
    "colors": {**ENTITY_COLORS, **SECTION_COLORS},
}

_FONT = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
    "'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif"
)
# displaCy's entity template with data attributes; braces are displaCy's fields.
_ENT_TEMPLATE = (
    '<mark class="entity lawie-ent" id="{anchor}" data-label="{label}" data-start="{start}" '
    'data-end="{end}" title="{tooltip}" style="background: {bg}; padding: 0.15em 0.3em; '
    'margin: 0 0.15em; line-height: 1; border-radius: 0.3em;">{text}<span class="lawie-ent-label" '
    'style="font-size: 0.65em; font-weight: bold; line-height: 1; vertical-align: middle; '
    'margin-left: 0.35em; font-family: sans-serif;">{label}</span></mark>'
)
_DISPLAY_NAMES = {"label": "type"}
# Table columns in this order first; the rest follow as the rows give them.
_COLUMN_ORDER = ("section", "label", "text", "indicator", "subject", "value", "unit", "approx", "change", "shared")
# Not columns: offsets link a row to its mark, the sentence is the row's tooltip,
# issuer and year are the report's own (shown in its heading).
_NOT_COLUMNS = ("start", "end", "sentence", "issuer", "year")
_WRAPPING = ("indicator", "subject")
# Values that say nothing in a column (``shared`` is 1 unless a rate is shared by several metrics).
_BLANK = {"shared": (None, "", 1)}


def _attr(value: Any) -> str:
    return escape(str(value), quote=True)


def _color(label: str, palette: Mapping[str, str]) -> str:
    return palette.get(label, UNKNOWN_COLOR)


def _format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _bands(report: Any) -> list[tuple[int, int, str | None]]:
    """``(start, end, label)`` bands covering the whole text: the sections, plus unlabelled gaps."""
    n = len(report.text)
    bands: list[tuple[int, int, str | None]] = []
    pos = 0
    for section in sorted(report.sections, key=lambda s: (s.start, s.end)):
        start, end = max(section.start, pos), min(section.end, n)
        if end <= start:
            continue
        if start > pos:
            bands.append((pos, start, None))
        bands.append((start, end, section.label))
        pos = end
    if pos < n:
        bands.append((pos, n, None))
    return bands


def _entities(report: Any) -> list[Any]:
    """The report's entities in order, without ones that overlap an earlier one or leave the text."""
    kept, last_end = [], 0
    for ent in sorted(report.entities, key=lambda e: (e.start, e.end)):
        if 0 <= ent.start < ent.end <= len(report.text) and ent.start >= last_end:
            kept.append(ent)
            last_end = ent.end
    return kept


def _anchor(key: str, start: int) -> str:
    return f"{key}-e{start}"


def _band_html(report: Any, band: tuple[int, int, str | None], ents: list[Any], key: str) -> str:
    start, end, label = band
    spans = []
    for ent in ents:
        s, e = max(ent.start, start), min(ent.end, end)
        if s >= e:
            continue
        spans.append(
            {
                "start": s - start,
                "end": e - start,
                "label": escape(ent.label),
                "params": {
                    "anchor": _attr(_anchor(key, ent.start)),
                    "start": ent.start,
                    "end": ent.end,
                    "tooltip": _attr(json.dumps(ent.normalized or {}, ensure_ascii=False)),
                },
            }
        )
    options = {"colors": dict(ENTITY_COLORS), "template": _ENT_TEMPLATE}
    body = displacy.render(
        {"text": report.text[start:end], "ents": spans}, style="ent", manual=True, options=options, jupyter=False
    )
    color = _color(label, SECTION_COLORS) if label else "#cccccc"
    badge = (
        f'<div class="lawie-section-label" style="font: bold 0.75em sans-serif; color: {color}; '
        f'letter-spacing: 0.05em; margin-bottom: 0.2em;">{escape(label)}</div>'
        if label
        else ""
    )
    return (
        f'<section class="lawie-section" data-section="{_attr(label or "")}" data-start="{start}" '
        f'data-end="{end}" style="border-left: 6px solid {color}; background: {color}12; '
        f'margin: 0.5em 0; padding: 0.4em 0.9em;">{badge}'
        f'<div class="lawie-text" style="white-space: pre-wrap; overflow-wrap: anywhere;">{body}</div></section>'
    )


def _fallback_rows(report: Any) -> list[dict[str, Any]]:
    """Indicator rows read from the COUNT, RATE and MONEY entities and their normalised values."""
    rows = []
    for ent in _entities(report):
        if ent.label not in INDICATOR_LABELS:
            continue
        norm = ent.normalized or {}
        section = next((s.label for s in report.sections if s.start <= ent.start < s.end), None)
        rows.append(
            {
                "section": section,
                "label": ent.label,
                "text": ent.text,
                "subject": norm.get("subject") or norm.get("metric"),
                "value": norm.get("value", norm.get("points")),
                "unit": norm.get("unit") or norm.get("currency") or ("points" if "points" in norm else None),
                "approx": norm.get("approx"),
                "change": norm.get("change"),
                "start": ent.start,
            }
        )
    return rows


def _as_dicts(rows: Any) -> list[dict[str, Any]]:
    """Rows from a list of dicts/objects, a ``datasets.Dataset`` or a pandas ``DataFrame``."""
    if rows is None:
        return []
    if hasattr(rows, "to_list") and callable(rows.to_list):  # datasets.Dataset
        rows = rows.to_list()
    elif hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # pandas.DataFrame
        rows = rows.to_dict(orient="records")
    out = []
    for row in rows:
        if isinstance(row, Mapping):
            out.append(dict(row))
        elif hasattr(row, "to_dict"):
            out.append(dict(row.to_dict()))
        else:
            out.append(dict(vars(row)))
    return out


def indicator_rows(report: Any) -> list[dict[str, Any]]:
    """The rows of the indicator table: ``report.indicators()`` where reports have it, else the entities."""
    if hasattr(report, "indicators"):
        return _as_dicts(report.indicators())
    return _fallback_rows(report)


def _table_html(rows: list[dict[str, Any]], key: str, report: Any) -> str:
    if not rows:
        return '<p class="lawie-no-indicators" style="color: #777;">No indicators found.</p>'
    columns = [c for c in _COLUMN_ORDER if any(c in row for row in rows)]
    for row in rows:
        columns.extend(c for c in row if c not in columns and c not in _NOT_COLUMNS)
    columns = [c for c in columns if any(row.get(c) not in _BLANK.get(c, (None, "", [], {})) for row in rows)]
    starts = {ent.start for ent in _entities(report)}
    head = "".join(
        f'<th style="text-align: left; padding: 0.2em 0.4em; border-bottom: 2px solid #999; position: sticky; '
        f'top: 0; background: #fafafa;">{escape(_DISPLAY_NAMES.get(c, c))}</th>'
        for c in columns
    )
    body = []
    for row in rows:
        cells = []
        for c in columns:
            text = escape(_format(row.get(c)))
            if c == "text" and row.get("start") in starts:
                text = f'<a href="#{_attr(_anchor(key, row["start"]))}" style="color: inherit;">{text}</a>'
            style = "padding: 0.15em 0.4em; border-bottom: 1px solid #e4e4e4;"
            style += " min-width: 6em;" if c in _WRAPPING else " white-space: nowrap;"
            if c == "label" and isinstance(row.get(c), str):
                style += f" background: {_color(row[c], ENTITY_COLORS)};"
            if c == "section" and isinstance(row.get(c), str):
                style += f" color: {_color(row[c], SECTION_COLORS)}; font-weight: bold;"
            cells.append(f'<td data-column="{_attr(c)}" style="{style}">{text}</td>')
        start = row.get("start")
        attr = f' data-start="{_attr(start)}"' if start is not None else ""
        if row.get("sentence"):
            attr += f' title="{_attr(row["sentence"])}"'
        body.append(f'<tr class="lawie-indicator"{attr}>{"".join(cells)}</tr>')
    return (
        '<table class="lawie-indicators" style="border-collapse: collapse; font-size: 0.85em; width: 100%;">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _chip(label: str, color: str, description: str, count: int, kind: str) -> str:
    return (
        f'<span class="lawie-legend-item" data-{kind}="{_attr(label)}" title="{_attr(description)}" '
        f'style="display: inline-block; margin: 0.15em 0.5em 0.15em 0; white-space: nowrap;">'
        f'<span style="display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; '
        f'border-radius: 0.2em; background: {color};"></span> <b>{escape(label)}</b> '
        f'<span style="color: #666;">{escape(description)} ({count})</span></span>'
    )


def _legend_html(report: Any) -> str:
    ent_counts = Counter(e.label for e in report.entities)
    sec_counts = Counter(s.label for s in report.sections)
    ents = list(ENTITY_COLORS) + sorted(set(ent_counts) - set(ENTITY_COLORS))
    secs = list(SECTION_COLORS) + sorted(set(sec_counts) - set(SECTION_COLORS))
    ent_items = "".join(
        _chip(lab, _color(lab, ENTITY_COLORS), ENTITY_DESCRIPTIONS.get(lab, ""), ent_counts[lab], "label") for lab in ents
    )
    sec_items = "".join(
        _chip(lab, _color(lab, SECTION_COLORS), SECTION_DESCRIPTIONS.get(lab, ""), sec_counts[lab], "section")
        for lab in secs
    )
    return (
        '<div class="lawie-legend" style="font-size: 0.85em; margin: 0.5em 0 1em;">'
        f'<div><span style="color: #555;">Entities:</span> {ent_items}</div>'
        f'<div><span style="color: #555;">Sections:</span> {sec_items}</div></div>'
    )


def render_report(report: Any, *, title: str | None = None, key: str = "lawie") -> str:
    """One report as an HTML fragment (an ``<article>``): legend, text in section bands, indicator table.

    ``key`` prefixes the element ids, so several reports can share a page.
    """
    meta = dict(getattr(report, "meta", None) or {})
    heading = str(title or meta.get("title") or "Report")
    shown = [meta[k] for k in ("title", "issuer", "year", "published") if meta.get(k) and meta[k] != heading]
    facts = " · ".join(escape(_format(v)) for v in shown)
    ents = _entities(report)
    bands = "".join(_band_html(report, band, ents, key) for band in _bands(report))
    if not bands:
        bands = '<p class="lawie-empty" style="color: #777;">The report is blank.</p>'
    summary = f"{len(report.entities)} entities · {len(report.sections)} sections · {len(report.text)} characters"
    return (
        f'<article class="lawie-report" data-report="{_attr(heading)}" id="{_attr(key)}" '
        f'style="font-family: {_FONT}; font-size: 15px; color: #222; line-height: 1.6;">'
        f'<h2 style="margin: 0.3em 0 0.1em; font-size: 1.3em;">{escape(heading)}</h2>'
        f'<div style="color: #666; font-size: 0.85em;">{facts + " · " if facts else ""}{summary}</div>'
        f"{_legend_html(report)}"
        '<div style="display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start;">'
        f'<div class="lawie-document" style="flex: 3 1 520px; min-width: 0;">{bands}</div>'
        '<aside style="flex: 2 1 340px; min-width: 0; max-height: 95vh; overflow: auto; position: sticky; top: 0;">'
        '<h3 style="margin: 0.4em 0; font-size: 1em;">Indicators</h3>'
        f"{_table_html(indicator_rows(report), key, report)}</aside></div></article>"
    )


def render_page(reports: Sequence[Any] | Any, *, titles: Sequence[str | None] | None = None) -> str:
    """A complete, self-contained HTML page with one article per report, in order.

    ``titles`` (e.g. file names) head the articles; by default each report's own title.
    """
    if not isinstance(reports, Sequence):
        reports = [reports]
    titles = list(titles) if titles is not None else [None] * len(reports)
    if len(titles) != len(reports):
        raise ValueError(Errors.E060.format(reports=len(reports), titles=len(titles)))
    headings = [
        str(t or (getattr(r, "meta", None) or {}).get("title") or f"Report {i + 1}")
        for i, (r, t) in enumerate(zip(reports, titles))
    ]
    articles = [render_report(r, title=h, key=f"r{i}") for i, (r, h) in enumerate(zip(reports, headings))]
    nav = ""
    if len(reports) > 1:
        links = "".join(f'<li><a href="#r{i}">{escape(h)}</a></li>' for i, h in enumerate(headings))
        nav = f'<nav style="font-family: {_FONT}; margin-bottom: 1em;"><ol>{links}</ol></nav>'
    separator = '<hr style="margin: 2em 0; border: 0; border-top: 1px solid #ccc;">'
    page_title = escape(headings[0]) if len(reports) == 1 else f"lawie: {len(reports)} reports"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{page_title}</title></head>'
        '<body style="margin: 0 auto; max-width: 1400px; padding: 1em 1.5em; background: #fff;">'
        f"{nav}{separator.join(articles)}</body></html>\n"
    )


__all__ = ["displacy_options", "render_report", "render_page", "indicator_rows", "ENTITY_COLORS", "SECTION_COLORS"]

"""Reports as tables: indicator rows and :func:`to_dataset`.

An *indicator* is a figure a report states — a COUNT, RATE or MONEY entity —
with what it measures and where it stands. :func:`indicator_rows` gives one
plain dict per indicator (``INDICATOR_COLUMNS``); a rate shared by a list of
metrics (``化解率、群众满意率均保持在98%以上``) gives one row per metric, each
with ``shared`` set to the length of the list. :func:`to_dataset` turns many
reports into a :class:`datasets.Dataset` of entities or indicators, so pandas,
Parquet and the Hugging Face Hub come from that library's own methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import Errors
from ..labels import INDICATOR_LABELS
from ..text.cleaning import clean_text

if TYPE_CHECKING:  # pragma: no cover
    import datasets

    from ..report import Report

INDICATOR_COLUMNS = (
    "issuer",
    "year",
    "section",
    "label",
    "indicator",
    "value",
    "unit",
    "approx",
    "change",
    "shared",
    "start",
    "end",
    "text",
    "sentence",
)
ENTITY_COLUMNS = (
    "start",
    "end",
    "label",
    "text",
    "section",
    "value",
    "points",
    "unit",
    "currency",
    "approx",
    "change",
    "subject",
    "metric",
    "metrics",
    "title",
    "doc_number",
    "kind",
    "name",
)
DATASET_KINDS = ("entities", "indicators")
_SENTENCE_END = "。!?;\n"
# The sentence column holds at most this many characters before and after the figure.
MAX_SENTENCE_SIDE = 200


class _Sentences:
    """The clean sentence around a raw span of one report."""

    def __init__(self, raw: str) -> None:
        norm = clean_text(raw)
        self.text = norm.text
        # A contiguous int64 copy: searchsorted on the strided column (or with a
        # Python int against int32) copies the whole array on every call, which
        # made a text of a million figures quadratic.
        self.starts = np.ascontiguousarray(norm.offsets[:, 0], dtype=np.int64)

    def around(self, raw_start: int, raw_end: int) -> str:
        """The sentence around the span, at most :data:`MAX_SENTENCE_SIDE` characters on each side.

        The bound keeps the cost (and the size of a CSV export) linear in the
        text when a line of thousands of figures has no sentence end.
        """
        text = self.text
        i = int(np.searchsorted(self.starts, raw_start, side="left"))
        j = int(np.searchsorted(self.starts, raw_end, side="left"))
        floor = max(0, i - MAX_SENTENCE_SIDE)
        s = max([text.rfind(ch, floor, i) + 1 for ch in _SENTENCE_END] + [floor])
        e = max(j, i)
        ceiling = min(len(text), e + MAX_SENTENCE_SIDE)
        ends = [k for k in (text.find(ch, e, ceiling) for ch in _SENTENCE_END) if k != -1]
        if ends:
            e = min(ends)
            if text[e] != "\n":
                e += 1  # keep the full stop
        else:
            e = ceiling
        return text[s:e].strip()


def _measure(label: str, value: dict[str, Any]) -> tuple[Any, str | None]:
    """``(value, unit)`` of an indicator: rates as a fraction or in percentage points."""
    if label == "RATE":
        if value.get("points") is not None:
            return value["points"], "points"
        return value.get("value"), "fraction" if value.get("value") is not None else None
    if label == "MONEY":
        return value.get("value"), value.get("currency")
    return value.get("value"), value.get("unit")


def indicator_rows(report: "Report") -> list[dict[str, Any]]:
    """One dict per figure in ``report`` (columns :data:`INDICATOR_COLUMNS`), in text order."""
    return list(iter_indicator_rows(report))


def iter_indicator_rows(report: "Report") -> Iterator[dict[str, Any]]:
    """:func:`indicator_rows` one row at a time (a text of a million figures needs no list of them)."""
    sentences = _Sentences(report.text)
    meta = report.meta or {}
    for ent in report.entities:
        if ent.label not in INDICATOR_LABELS:
            continue
        norm = ent.normalized or {}
        section = report.section_at(ent.start)
        value, unit = _measure(ent.label, norm)
        if ent.label == "RATE":
            names = list(norm.get("metrics") or ([norm["metric"]] if norm.get("metric") else [None]))
        else:
            names = [norm.get("subject")]
        sentence = sentences.around(ent.start, ent.end)
        for name in names:
            yield (
                {
                    "issuer": meta.get("issuer"),
                    "year": meta.get("year"),
                    "section": section.label if section else None,
                    "label": ent.label,
                    "indicator": name,
                    "value": value,
                    "unit": unit,
                    "approx": norm.get("approx"),
                    "change": norm.get("change"),
                    "shared": len(names),
                    "start": ent.start,
                    "end": ent.end,
                    "text": ent.text,
                    "sentence": sentence,
                }
            )


def entity_rows(report: "Report") -> list[dict[str, Any]]:
    """One dict per entity (columns :data:`ENTITY_COLUMNS`): its normalised value spread into columns."""
    rows = []
    for ent in report.entities:
        norm = ent.normalized or {}
        section = report.section_at(ent.start)
        row = {column: norm.get(column) for column in ENTITY_COLUMNS}
        row.update(start=ent.start, end=ent.end, label=ent.label, text=ent.text)
        row["section"] = section.label if section else None
        row["metrics"] = list(norm.get("metrics") or [])
        if isinstance(row["metric"], list):  # a figure shared by a list of metrics
            row["metric"] = "、".join(row["metric"])
        rows.append(row)
    return rows


def _features(kind: str) -> "datasets.Features":
    from datasets import Features, Sequence as ListOf, Value

    number = {"value", "points"}
    integer = {"start", "end", "year", "shared"}
    columns = ("report",) + (ENTITY_COLUMNS if kind == "entities" else INDICATOR_COLUMNS)
    out = {}
    for column in columns:
        if column == "metrics":
            out[column] = ListOf(Value("string"))
        elif column in number:
            out[column] = Value("float64")
        elif column in integer:
            out[column] = Value("int64")
        else:
            out[column] = Value("string")
    return Features(out)


def to_dataset(
    reports: "Report | Iterable[Report]",
    kind: str = "entities",
    *,
    names: Sequence[str] | None = None,
) -> "datasets.Dataset":
    """A :class:`datasets.Dataset` of the entities or indicators of ``reports``.

    Each row has a ``report`` column: ``names[i]`` (e.g. file names) or the
    report's position. Use ``.to_pandas()``, ``.to_parquet(path)`` or
    ``.push_to_hub(repo)`` on the result.
    """
    from datasets import Dataset

    from ..report import Report

    if kind not in DATASET_KINDS:
        raise ValueError(Errors.E040.format(kind=kind, kinds=", ".join(DATASET_KINDS)))
    if isinstance(reports, Report):
        reports = [reports]
    rows_of = entity_rows if kind == "entities" else indicator_rows
    features = _features(kind)
    columns: dict[str, list[Any]] = {name: [] for name in features}
    for i, report in enumerate(reports):
        if not isinstance(report, Report):
            raise TypeError(Errors.E041.format(type=type(report).__name__))
        if names is not None and i >= len(names):
            raise ValueError(Errors.E042.format(names=len(names)))
        label = str(names[i]) if names is not None else str(i)
        for row in rows_of(report):
            columns["report"].append(label)
            for name, value in row.items():
                columns[name].append(value)
    return Dataset.from_dict(columns, features=features)


__all__ = ["indicator_rows", "iter_indicator_rows", "entity_rows", "to_dataset", "INDICATOR_COLUMNS", "ENTITY_COLUMNS", "DATASET_KINDS"]

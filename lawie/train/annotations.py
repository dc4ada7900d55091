"""Annotation records: reading, validating, converting, and agreement between passes.

A record is one document, with offsets into its raw text (``docs/LABELS.md``)::

    {"id": "002_…", "text": "…", "spans": [{"start": 0, "end": 3, "label": "ORG"}],
     "sections": [{"start": 0, "end": 120, "label": "HEADER"}]}

Converters read and write the JSONL of doccano (``{"text", "label": [[s, e, L]]}``)
and Label Studio (``{"data": {"text"}, "annotations": [{"result": [...]}]}``),
so a record survives a round trip through either tool: the sections and the spans'
normalised values ride along in extra fields (``sections``; ``normalized`` as
``[start, end, label, value]`` rows), and a value comes back on its span unless the
span was moved or relabelled.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Errors
from ..labels import ENTITY_LABELS, SECTION_LABELS

FORMATS = ("lawie", "doccano", "labelstudio")


NOVEL_FILE = "novel_orgs.jsonl"  # the novel-vocabulary test set: never trained on


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Records of a JSONL file, in order (blank lines skipped); a JSON array (Label Studio's export) works too.

    Lines end at ``\\n`` only: U+2028, U+2029 or U+0085 inside a record's text
    (web text has them) do not split it. A line that is not JSON raises
    ``ValueError`` naming the file and the line.
    """
    with open(path, encoding="utf-8-sig", newline="") as f:
        content = f.read()
    if content.lstrip().startswith("["):
        try:
            return list(json.loads(content))
        except json.JSONDecodeError as err:
            raise ValueError(Errors.E015.format(path=path, line=err.lineno, problem=err.msg)) from err
    records = []
    for number, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise ValueError(Errors.E015.format(path=path, line=number, problem=err.msg)) from err
    return records


# json.dumps leaves these unescaped with ensure_ascii=False, and tools that split
# lines the way str.splitlines() does would cut a record at them.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}
_LINE_BREAK_TABLE = str.maketrans(_LINE_BREAKS)


def dumps_line(record: dict[str, Any]) -> str:
    """One JSONL line: unescaped Chinese, every line separator escaped, ``\\n`` at the end."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAK_TABLE) + "\n"


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write records as JSONL (UTF-8, unescaped Chinese); return how many.

    The file is written under a temporary name in the same folder and renamed
    over ``path`` at the end, so ``path`` holds either its old content or all
    the records, never part of them.
    """
    import os
    import tempfile

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            for record in records:
                f.write(dumps_line(record))
                n += 1
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """The gold records of a file, or of every ``*.jsonl`` of a folder but the novel-vocabulary test set, validated."""
    files = sorted(Path(path).glob("*.jsonl")) if Path(path).is_dir() else [Path(path)]
    records = [r for f in files if f.name != NOVEL_FILE for r in read_jsonl(f)]
    for record in records:
        validate(record)
        record.setdefault("sections", [])
    return records


def load_dataset(path: str | Path):
    """Annotation records as a ``datasets.Dataset`` (one row per document).

    A span's normalised value differs in shape by label, so it is a JSON string
    in the dataset (``json.loads(span["normalized"])``).
    """
    import datasets

    rows = []
    for record in read_records(path):
        spans = [{**s, "normalized": json.dumps(s.get("normalized"), ensure_ascii=False)} for s in record["spans"]]
        rows.append({"id": record.get("id"), "text": record["text"], "spans": spans, "sections": record["sections"]})
    return datasets.Dataset.from_list(rows)


RECORD_KEYS = ("id", "text", "spans", "sections")
SPAN_KEYS = ("start", "end", "label")


def _is_offset(value: Any) -> bool:
    """An offset is an ``int`` (not a ``bool``, not a float such as 0.5 or 3.0)."""
    return type(value) is int


def validate(record: dict[str, Any], *, require_sections: bool = False) -> None:
    """Raise ``ValueError`` naming the problem if ``record`` breaks the format or the contract.

    Checked: a dict with only ``id`` (a non-empty string), ``text`` (a string),
    ``spans`` and ``sections`` (lists of ``{"start", "end", "label"}``, a span
    may also carry its normalised value as ``"normalized"``, an object; offsets
    integers within the text, known labels); spans do not overlap; sections
    cover the text in order without gaps.
    """
    if not isinstance(record, dict):
        raise ValueError(Errors.E008.format(id="?", problem=f"a record must be a JSON object, not {type(record).__name__}"))
    rid = record.get("id", "?")

    def fail(problem: str) -> None:
        raise ValueError(Errors.E008.format(id=rid, problem=problem))

    extra = [key for key in record if key not in RECORD_KEYS]
    if extra:
        fail(f"unknown field {extra[0]!r} (a record has only {', '.join(RECORD_KEYS)})")
    if not isinstance(record.get("id"), str) or not record["id"]:
        fail(f"`id` must be a non-empty string, not {record.get('id')!r}")
    text = record.get("text")
    if not isinstance(text, str):
        fail("`text` must be a string")

    def check(kind: str, items: Any, labels: tuple[str, ...]) -> list[dict[str, Any]]:
        if not isinstance(items, list):
            fail(f"`{kind}` must be a list")
        allowed = set(SPAN_KEYS) | ({"normalized"} if kind == "spans" else set())
        for item in items:
            if not isinstance(item, dict) or not set(SPAN_KEYS) <= set(item) <= allowed:
                extra = " (and an optional normalized value)" if kind == "spans" else ""
                fail(f"{kind[:-1]} {item!r} must have exactly the fields start, end, label{extra}")
            if kind == "spans" and not isinstance(item.get("normalized", {}), (dict, type(None))):
                fail(f"span {item!r}: `normalized` must be an object or null")
            if item["label"] not in labels:
                fail(f"unknown {'entity' if kind == 'spans' else 'section'} label {item['label']!r}")
            if not (_is_offset(item["start"]) and _is_offset(item["end"])):
                fail(f"{kind[:-1]} {item} has offsets that are not integers")
            if not (0 <= item["start"] < item["end"] <= len(text)):
                fail(f"{kind[:-1]} {item} is outside the text (length {len(text)})")
        return items

    spans = check("spans", record.get("spans", []), ENTITY_LABELS)
    last_end = 0
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        if span["start"] < last_end:
            fail(f"span {span} overlaps the span before it")
        last_end = span["end"]
    sections = check("sections", record.get("sections") or [], SECTION_LABELS)
    if require_sections and text.strip() and not sections:
        fail("no sections")
    if sections:
        pos = 0
        for section in sections:
            if section["start"] != pos or section["end"] <= section["start"]:
                fail(f"section {section} does not start where the one before ends ({pos})")
            pos = section["end"]
        if pos != len(text):
            fail(f"sections end at {pos}, not at the end of the text ({len(text)})")


def validate_all(records: Iterable[dict[str, Any]], *, source: str = "the records") -> list[dict[str, Any]]:
    """``records`` as a list, each :func:`validate`-d and their ids unique; ``ValueError`` otherwise."""
    out = list(records)
    seen: set[str] = set()
    for record in out:
        validate(record)
        if record["id"] in seen:
            raise ValueError(Errors.E016.format(id=record["id"], source=source))
        seen.add(record["id"])
    return out


# -- conversion ---------------------------------------------------------------


def _value_rows(record: dict[str, Any]) -> list[list[Any]]:
    """The spans' normalised values as ``[start, end, label, value]`` rows, for a tool to carry."""
    return [[s["start"], s["end"], s["label"], s["normalized"]] for s in record["spans"] if s.get("normalized") is not None]


def _with_values(spans: list[dict[str, Any]], rows: Any) -> list[dict[str, Any]]:
    """``spans`` with the value of the row of the same start, end and label (if any)."""
    rows = rows if isinstance(rows, list) else []
    values = {tuple(r[:3]): r[3] for r in rows if isinstance(r, list) and len(r) == 4 and all(isinstance(x, (int, str)) for x in r[:3])}
    return [{**s, "normalized": values[key]} if (key := (s["start"], s["end"], s["label"])) in values else s for s in spans]


def to_doccano(record: dict[str, Any]) -> dict[str, Any]:
    out = {"id": record.get("id"), "text": record["text"], "label": [[s["start"], s["end"], s["label"]] for s in record["spans"]]}
    if record.get("sections"):
        out["sections"] = record["sections"]
    values = _value_rows(record)
    if values:
        out["normalized"] = values
    return out


def from_doccano(item: dict[str, Any]) -> dict[str, Any]:
    """A doccano record; section labels drawn as spans (HEADER, PLANS, …) become sections."""
    labels = item.get("label", item.get("labels", item.get("entities", [])))
    spans, sections = [], list(item.get("sections", []))
    for entry in labels:
        if isinstance(entry, dict):
            span = {"start": entry["start_offset"], "end": entry["end_offset"], "label": entry["label"]}
        else:
            span = {"start": entry[0], "end": entry[1], "label": entry[2]}
        (sections if span["label"] in SECTION_LABELS else spans).append(span)
    return {
        "id": _task_id(item.get("id"), item.get("text")),
        "text": item.get("text"),
        "spans": _with_values(sorted(spans, key=lambda s: s["start"]), item.get("normalized")),
        "sections": sorted(sections, key=lambda s: s["start"]),
    }


def to_labelstudio(record: dict[str, Any]) -> dict[str, Any]:
    text = record["text"]
    result = [
        {
            "id": f"e{i}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s["start"], "end": s["end"], "text": text[s["start"] : s["end"]], "labels": [s["label"]]},
        }
        for i, s in enumerate(record["spans"])
    ]
    result += [
        {
            "id": f"s{i}",
            "from_name": "section",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s["start"], "end": s["end"], "text": text[s["start"] : s["end"]], "labels": [s["label"]]},
        }
        for i, s in enumerate(record.get("sections") or [])
    ]
    data = {"id": record.get("id"), "text": text}
    values = _value_rows(record)
    if values:
        data["normalized"] = values
    return {"data": data, "annotations": [{"result": result}]}


def from_labelstudio(item: dict[str, Any]) -> dict[str, Any]:
    data = item.get("data", {})
    annotations = item.get("annotations") or item.get("predictions") or []
    spans, sections = [], []
    for result in (annotations[-1].get("result", []) if annotations else []):
        value = result.get("value", {})
        for label in value.get("labels", []):
            entry = {"start": value["start"], "end": value["end"], "label": label}
            (sections if label in SECTION_LABELS else spans).append(entry)
    return {
        "id": _task_id(data.get("id", item.get("id")), data.get("text")),
        "text": data.get("text"),
        "spans": _with_values(sorted(spans, key=lambda s: s["start"]), data.get("normalized")),
        "sections": sorted(sections, key=lambda s: s["start"]),
    }


def _task_id(value: Any, text: Any) -> str:
    """A record id from a tool's task id; a task without one gets ``text-`` and a hash of its text."""
    if value is not None and not isinstance(value, (dict, list)) and str(value):
        return str(value)
    import hashlib

    digest = hashlib.sha1(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"text-{digest}"


def record_format(item: Any) -> str | None:
    """The format one record is written in: ``labelstudio`` (``data`` holds the text),
    ``doccano`` (``text`` and ``label``/``labels``/``entities``), ``lawie`` (``text``
    and ``spans``), or ``None`` when it is none of them."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("data"), dict) and "text" in item["data"]:
        return "labelstudio"
    if "text" in item and "spans" in item:
        return "lawie"
    if "text" in item and any(key in item for key in ("label", "labels", "entities")):
        return "doccano"
    return None


def detect_format(records: list[Any], stated: str | None = None, *, source: str = "the input") -> str:
    """The format of ``records``: detected from the first record, and checked against ``stated``
    (``None`` or ``"auto"`` to detect). ``ValueError`` in one line on a mismatch or an unknown format."""
    if stated not in (None, "auto") and stated not in FORMATS:
        raise ValueError(Errors.E006.format(value=stated, choices=", ".join(FORMATS)))
    if not records:
        return stated if stated not in (None, "auto") else "lawie"
    found = record_format(records[0])
    if found is None:
        keys = ", ".join(sorted(records[0])) if isinstance(records[0], dict) else type(records[0]).__name__
        raise ValueError(f"{source}: the first record ({keys}) is in none of the formats {', '.join(FORMATS)}")
    if stated not in (None, "auto") and stated != found:
        raise ValueError(f"{source} looks like {found} JSONL, not {stated}: give --from/--format {found}, or leave it out to detect it")
    return found


_WRITERS = {"lawie": dict, "doccano": to_doccano, "labelstudio": to_labelstudio}
_READERS = {"lawie": dict, "doccano": from_doccano, "labelstudio": from_labelstudio}


def convert(records: Iterable[dict[str, Any]], source: str, target: str) -> Iterator[dict[str, Any]]:
    """Convert records between ``lawie``, ``doccano`` and ``labelstudio`` JSONL."""
    for name in (source, target):
        if name not in FORMATS:
            raise ValueError(Errors.E006.format(value=name, choices=", ".join(FORMATS)))
    for number, record in enumerate(records, 1):
        try:
            converted = _WRITERS[target](_READERS[source](record))
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as err:
            raise ValueError(Errors.E017.format(number=number, fmt=source, problem=f"{type(err).__name__}: {err}")) from err
        yield converted


# -- agreement ----------------------------------------------------------------


def agreement(pass_a: list[dict[str, Any]], pass_b: list[dict[str, Any]]) -> dict[str, Any]:
    """Exact-match entity F1 per label and per-character section agreement between two passes."""
    by_id = {r["id"]: r for r in pass_b}
    both, only_a, only_b = Counter(), Counter(), Counter()
    same_chars = total_chars = 0
    for a in pass_a:
        b = by_id[a["id"]]
        sa = {(s["start"], s["end"], s["label"]) for s in a["spans"]}
        sb = {(s["start"], s["end"], s["label"]) for s in b["spans"]}
        for label in ENTITY_LABELS:
            both[label] += sum(1 for s in sa & sb if s[2] == label)
            only_a[label] += sum(1 for s in sa - sb if s[2] == label)
            only_b[label] += sum(1 for s in sb - sa if s[2] == label)
        la, lb = section_labels(a), section_labels(b)
        same_chars += sum(x == y for x, y in zip(la, lb))
        total_chars += len(la)
    rows = {}
    for label in ENTITY_LABELS:
        denom = 2 * both[label] + only_a[label] + only_b[label]
        rows[label] = {"both": both[label], "only_a": only_a[label], "only_b": only_b[label], "f1": 2 * both[label] / denom if denom else 1.0}
    n_both, n_diff = sum(both.values()), sum(only_a.values()) + sum(only_b.values())
    return {"labels": rows, "micro_f1": 2 * n_both / (2 * n_both + n_diff) if n_both + n_diff else 1.0, "section_agreement": same_chars / total_chars if total_chars else 1.0}


def section_labels(record: dict[str, Any]) -> list[str | None]:
    """The section label of every character of the record's text."""
    labels: list[str | None] = [None] * len(record["text"])
    for s in record.get("sections") or []:
        labels[s["start"] : s["end"]] = [s["label"]] * (s["end"] - s["start"])
    return labels

"""Annotation records: reading, validating, converting, and agreement between passes.

A record is one document, with offsets into its raw text (``docs/LABELS.md``)::

    {"id": "002_…", "text": "…", "spans": [{"start": 0, "end": 3, "label": "ORG"}],
     "sections": [{"start": 0, "end": 120, "label": "HEADER"}]}

Converters read and write the JSONL of doccano (``{"text", "label": [[s, e, L]]}``)
and Label Studio (``{"data": {"text"}, "annotations": [{"result": [...]}]}``),
so a record survives a round trip through either tool.
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
    """Records of a JSONL file, in order (blank lines skipped); a JSON array (Label Studio's export) works too."""
    with open(path, encoding="utf-8-sig") as f:
        content = f.read()
    if content.lstrip().startswith("["):
        return list(json.loads(content))
    return [json.loads(line) for line in content.splitlines() if line.strip()]


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write records as JSONL (UTF-8, unescaped Chinese); return how many."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
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


def validate(record: dict[str, Any], *, require_sections: bool = False) -> None:
    """Raise ``ValueError`` naming the problem if ``record`` breaks the format or the contract."""
    rid = record.get("id", "?")

    def fail(problem: str) -> None:
        raise ValueError(Errors.E008.format(id=rid, problem=problem))

    text = record.get("text")
    if not isinstance(text, str):
        fail("`text` must be a string")
    last_end = 0
    for span in sorted(record.get("spans", []), key=lambda s: (s["start"], s["end"])):
        if span.get("label") not in ENTITY_LABELS:
            fail(f"unknown entity label {span.get('label')!r}")
        if not (0 <= span["start"] < span["end"] <= len(text)):
            fail(f"span {span} is outside the text (length {len(text)})")
        if span["start"] < last_end:
            fail(f"span {span} overlaps the span before it")
        last_end = span["end"]
    sections = record.get("sections") or []
    if require_sections and text.strip() and not sections:
        fail("no sections")
    if sections:
        pos = 0
        for section in sections:
            if section.get("label") not in SECTION_LABELS:
                fail(f"unknown section label {section.get('label')!r}")
            if section["start"] != pos or section["end"] <= section["start"]:
                fail(f"section {section} does not start where the one before ends ({pos})")
            pos = section["end"]
        if pos != len(text):
            fail(f"sections end at {pos}, not at the end of the text ({len(text)})")


# -- conversion ---------------------------------------------------------------


def to_doccano(record: dict[str, Any]) -> dict[str, Any]:
    out = {"id": record.get("id"), "text": record["text"], "label": [[s["start"], s["end"], s["label"]] for s in record["spans"]]}
    if record.get("sections"):
        out["sections"] = record["sections"]
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
        "id": str(item.get("id")),
        "text": item["text"],
        "spans": sorted(spans, key=lambda s: s["start"]),
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
    return {"data": {"id": record.get("id"), "text": text}, "annotations": [{"result": result}]}


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
        "id": str(data.get("id", item.get("id"))),
        "text": data["text"],
        "spans": sorted(spans, key=lambda s: s["start"]),
        "sections": sorted(sections, key=lambda s: s["start"]),
    }


_WRITERS = {"lawie": dict, "doccano": to_doccano, "labelstudio": to_labelstudio}
_READERS = {"lawie": dict, "doccano": from_doccano, "labelstudio": from_labelstudio}


def convert(records: Iterable[dict[str, Any]], source: str, target: str) -> Iterator[dict[str, Any]]:
    """Convert records between ``lawie``, ``doccano`` and ``labelstudio`` JSONL."""
    for name in (source, target):
        if name not in FORMATS:
            raise ValueError(Errors.E006.format(value=name, choices=", ".join(FORMATS)))
    for record in records:
        yield _WRITERS[target](_READERS[source](record))


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

"""Before/after of a retraining (``lawie train --add``): the previous and the new pipeline scored
on every annotated document, exact-match entities, with what was gained and lost per label."""

from __future__ import annotations

from collections import Counter
from typing import Any

from spacy.language import Language

from ..labels import ENTITY_LABELS
from .evaluate import gold_spans, predict


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def compare(before: Language, after: Language, records: list[dict[str, Any]], added: set[str]) -> dict[str, Any]:
    """Per document and per label: true/false positives and misses of both pipelines, and the gold
    spans the new pipeline gained (found now, missed before) and lost (found before, missed now)."""
    docs = []
    for record in records:
        gold = gold_spans(record)
        old = predict(before, record["text"]).spans
        new = predict(after, record["text"]).spans
        docs.append({"id": record["id"], "added": record["id"] in added, "gold": gold, "before": old, "after": new})
    return {"docs": docs}


def _counts(docs: list[dict], which: str, label: str | None = None) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for d in docs:
        gold = {s for s in d["gold"] if label is None or s[2] == label}
        pred = {s for s in d[which] if label is None or s[2] == label}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return tp, fp, fn


def doc_f1(doc: dict, which: str) -> float:
    gold, pred = doc["gold"], doc[which]
    return _f1(len(gold & pred), len(pred - gold), len(gold - pred))


def render_comparison(result: dict[str, Any], before_name: str = "previous") -> list[str]:
    """The before/after table, per label, and the documents that got worse."""
    docs = result["docs"]
    added = [d for d in docs if d["added"]]
    lines = [f"before: {before_name}; after: the new pipeline (entities, exact match, in-sample)", ""]
    lines.append(f"{'':<22}{'docs':>6}{'F1 before':>11}{'F1 after':>10}{'change':>9}")
    for name, group in (("added documents", added), ("all annotated", docs)):
        if group:
            b, a = _f1(*_counts(group, "before")), _f1(*_counts(group, "after"))
            lines.append(f"{name:<22}{len(group):>6}{b:>11.3f}{a:>10.3f}{a - b:>+9.3f}")
    lines += ["", f"{'label':<22}{'gained':>6}{'lost':>6}{'F1 before':>11}{'F1 after':>10}{'change':>9}"]
    for label in ENTITY_LABELS:
        gained = sum(len({s for s in (d["gold"] & d["after"]) - d["before"] if s[2] == label}) for d in docs)
        lost = sum(len({s for s in (d["gold"] & d["before"]) - d["after"] if s[2] == label}) for d in docs)
        b, a = _f1(*_counts(docs, "before", label)), _f1(*_counts(docs, "after", label))
        lines.append(f"{label:<22}{gained:>6}{lost:>6}{b:>11.3f}{a:>10.3f}{a - b:>+9.3f}")
    worse = [(d, doc_f1(d, "before"), doc_f1(d, "after")) for d in docs]
    worse = [(d, b, a) for d, b, a in worse if a < b - 1e-9]
    lines.append("")
    if worse:
        lines.append(f"{len(worse)} documents got worse:")
        for d, b, a in sorted(worse, key=lambda x: x[2] - x[1])[:20]:
            lost = sorted(Counter(s[2] for s in (d["gold"] & d["before"]) - d["after"]).items())
            extra = sorted(Counter(s[2] for s in (d["after"] - d["gold"]) - d["before"]).items())
            detail = ", ".join([f"lost {n} {lab}" for lab, n in lost] + [f"{n} new wrong {lab}" for lab, n in extra])
            lines.append(f"  {d['id']}: F1 {b:.3f} → {a:.3f}" + (f" ({detail})" if detail else ""))
        if len(worse) > 20:
            lines.append(f"  … and {len(worse) - 20} more")
    else:
        lines.append("no document got worse")
    return lines

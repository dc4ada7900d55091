"""Build the real-report gold in ``annotations/`` from the annotation passes.

    python training/import_real.py --shared ../shared

- ``annotations/dev.jsonl``: the 41 development excerpts of ``SHARED/dev``
  (spans and sections from ``gold.jsonl``, with the fixes listed in
  ``annotations/README.md``), with the normalised values of
  ``annotations/passes/dev-values/NN.json``.
- ``annotations/corpus.jsonl``: the corpus excerpts of ``SHARED/corpus`` that
  pass A annotated (``annotations/passes/corpus/A``), with the reconciliation of
  the double-annotated ones (``RECONCILED`` below).
- ``annotations/seeds.jsonl`` keeps its spans and sections and takes the normalised
  values of ``annotations/passes/seed-values/<id>.json``.

Texts are read from ``SHARED`` byte for byte; nothing in them is changed.
Every record is validated before anything is written.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from lawie.train.annotations import validate, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
PASSES = ROOT / "annotations" / "passes"

# Gold decisions of SHARED/dev that contradict the contract: (id, start, end, label) removed.
DEV_REMOVED = {
    # 对于县政府的其他规范性文件不满如何申请行政救济: a general question in page furniture, no specific body.
    ("09", 2, 5, "ORG"),
}

# Disagreements between passes A and B, decided by the contract (annotations/README.md).
RECONCILED = {
    "098": {"replace": [((463, 467, "ORG"), (468, 473, "ORG"))], "with": [(463, 474, "ORG")]},  # one body, two names (guide H9)
}
KIND_FIXES = {("030", 156, 175): "党内法规"}  # as every other mention of this 规定
# One treatment for each construction of a count's subject or a rate's metric (guide §4, D1–D6):
# one row per changed value, with the value it replaces, the decision and the context.
SUBJECT_FIXES = PASSES / "subject-fixes.tsv"


def subject_fixes() -> dict[tuple[str, int, int, str], tuple[object, object]]:
    """``(id, start, end, label) → (old, new)`` from ``passes/subject-fixes.tsv``."""
    with SUBJECT_FIXES.open(encoding="utf-8", newline="") as f:
        return {
            (r["id"], int(r["start"]), int(r["end"]), r["label"]): (json.loads(r["old"]), json.loads(r["new"]))
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        }


def apply_subject_fixes(records: list[dict]) -> None:
    """Set each fixed subject/metric, checking that the value it replaces is the one the row names."""
    fixes = subject_fixes()
    done = set()
    for record in records:
        for span in record["spans"]:
            key = (record["id"], span["start"], span["end"], span["label"])
            if key in fixes:
                old, new = fixes[key]
                field = "metric" if span["label"] == "RATE" else "subject"
                if span["normalized"].get(field) != old:
                    raise SystemExit(f"{SUBJECT_FIXES.name}: {key} has {field} {span['normalized'].get(field)!r}, the row expects {old!r}")
                span["normalized"][field] = new
                done.add(key)
    if done != set(fixes):
        raise SystemExit(f"{SUBJECT_FIXES.name}: no such span: {sorted(set(fixes) - done)[:3]}")


def harmonised_span(text: str, start: int, end: int, label: str, value: dict | None) -> dict:
    """A corpus span, with one decision for every pass: ``N个方面`` is the COUNT ``N个`` with 方面
    outside (unit 个, subject 方面), as the development set decides it (dev 12, 22) and most passes did."""
    if label == "COUNT" and text[start:end].endswith("个方面"):
        return _span(start, end - 2, label, {**(value or {}), "unit": "个", "subject": "方面"})
    return _span(start, end, label, value)


def _span(start: int, end: int, label: str, normalized: dict | None) -> dict:
    out = {"start": start, "end": end, "label": label}
    if normalized is not None:
        out["normalized"] = normalized
    return out


def dev_records(shared: Path) -> list[dict]:
    out = []
    for line in (shared / "dev" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        doc_id = gold["id"]
        text = (shared / "dev" / "raw" / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert text == gold["text"], doc_id
        values_file = PASSES / "dev-values" / f"{doc_id}.json"
        values = {}
        if values_file.exists():
            values = {(s["start"], s["end"], s["label"]): s["normalized"] for s in json.loads(values_file.read_text(encoding="utf-8"))["spans"]}
        spans = [
            _span(s["start"], s["end"], s["label"], values.get((s["start"], s["end"], s["label"])))
            for s in gold["spans"]
            if (doc_id, s["start"], s["end"], s["label"]) not in DEV_REMOVED
        ]
        out.append({"id": f"dev-{doc_id}", "text": text, "spans": spans, "sections": gold["sections"]})
    return out


def corpus_records(shared: Path) -> list[dict]:
    out = []
    for path in sorted((PASSES / "corpus" / "A").glob("*.json")):
        n = path.stem
        text = (shared / "corpus" / "raw" / f"{n}.txt").read_text(encoding="utf-8")
        record = json.loads(path.read_text(encoding="utf-8"))
        spans = {(s["start"], s["end"], s["label"]): s.get("normalized") for s in record["spans"]}
        fix = RECONCILED.get(n)
        if fix:
            b = {(s["start"], s["end"], s["label"]): s.get("normalized") for s in json.loads((PASSES / "corpus" / "B" / f"{n}.json").read_text(encoding="utf-8"))["spans"]}
            for old in fix["replace"]:
                for key in old:
                    spans.pop(key)
            for key in fix["with"]:
                spans[key] = b[key]
        for (start, end, label), value in spans.items():
            kind = KIND_FIXES.get((n, start, end))
            if kind:
                value["kind"] = kind
        out.append(
            {
                "id": f"corpus-{n}",
                "text": text,
                "spans": [harmonised_span(text, s, e, lab, v) for (s, e, lab), v in sorted(spans.items())],
                "sections": [{"start": s["start"], "end": s["end"], "label": s["label"]} for s in record["sections"]],
            }
        )
    return out


def seed_records() -> list[dict]:
    """``seeds.jsonl`` with each span's value from ``passes/seed-values`` (same spans, in order)."""
    out = []
    for line in (ROOT / "annotations" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        values = json.loads((PASSES / "seed-values" / f"{record['id']}.json").read_text(encoding="utf-8"))["spans"]
        keys = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        if keys != [(s["start"], s["end"], s["label"]) for s in values]:
            raise SystemExit(f"passes/seed-values/{record['id']}.json: its spans are not the spans of seeds.jsonl")
        record["spans"] = [_span(*key, v["normalized"]) for key, v in zip(keys, values)]
        out.append(record)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the folder holding dev/ and corpus/")
    args = parser.parse_args()
    dev, corpus, seeds = dev_records(args.shared), corpus_records(args.shared), seed_records()
    apply_subject_fixes(dev + corpus)
    for record in dev + corpus + seeds:
        validate(record, require_sections=True)
    n_dev = write_jsonl(dev, ROOT / "annotations" / "dev.jsonl")
    n_corpus = write_jsonl(corpus, ROOT / "annotations" / "corpus.jsonl")
    n_seeds = write_jsonl(seeds, ROOT / "annotations" / "seeds.jsonl")
    rows = list(csv.DictReader((args.shared / "corpus" / "sources.tsv").open(encoding="utf-8"), delimiter="\t"))
    annotated = {r["id"].split("-")[1] for r in corpus}
    with (ROOT / "annotations" / "sources.tsv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "url", "title", "issuer", "level", "year", "script"])
        for r in rows:
            if r["NNN"] in annotated:
                writer.writerow([f"corpus-{r['NNN']}", r["url"], r["title"], r["issuer"], r["level"], r["year"], r["script"]])
    print(f"wrote {n_dev} dev, {n_corpus} corpus and {n_seeds} seed records")


if __name__ == "__main__":
    main()

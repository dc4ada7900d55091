"""Agreement between two independent annotation passes, before reconciling.

    python training/agreement.py annotations/passes/A annotations/passes/B                  # the seeds
    python training/agreement.py annotations/passes/corpus/A annotations/passes/corpus/B \\
        --shared ../shared                                                                   # real excerpts

Each pass folder holds one ``<id>.json`` per document (spans and sections, no
text). A seed's text is ``seeds/<id>.txt``; a corpus excerpt's is the file its
``source`` names under ``--shared``. Only documents present in both passes are
compared. Prints Markdown tables: entities, sections and, where the passes hold
normalised values, value fields on the spans both passes share.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from lawie.labels import ENTITY_LABELS
from lawie.train.annotations import agreement

ROOT = Path(__file__).resolve().parents[1]


def read_pass(folder: Path, shared: Path) -> dict[str, dict]:
    records = {}
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        source = record.get("source", {}).get("file")
        record["text"] = (shared / source if source else ROOT / "seeds" / f"{record['id']}.txt").read_text(encoding="utf-8")
        records[record["id"]] = record
    return records


def value_agreement(a: list[dict], b: list[dict]) -> dict[tuple[str, str], tuple[int, int]]:
    """``(label, field) -> (same, compared)`` over the spans both passes have, ORG names left out."""
    same, total = Counter(), Counter()
    for ra, rb in zip(a, b):
        values = {(s["start"], s["end"], s["label"]): s.get("normalized") for s in ra["spans"]}
        for s in rb["spans"]:
            key = (s["start"], s["end"], s["label"])
            if s["label"] == "ORG" or key not in values or not s.get("normalized") or not values[key]:
                continue
            for name, value in s["normalized"].items():
                total[(s["label"], name)] += 1
                same[(s["label"], name)] += values[key].get(name) == value
    return {k: (same[k], total[k]) for k in sorted(total)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder holding corpus/ (for corpus passes)")
    args = parser.parse_args()
    pass_a, pass_b = read_pass(args.a, args.shared), read_pass(args.b, args.shared)
    ids = sorted(set(pass_a) & set(pass_b))
    a, b = [pass_a[i] for i in ids], [pass_b[i] for i in ids]
    result = agreement(a, b)
    print(f"{len(ids)} documents in both passes\n")
    print("| label | in both | only in A | only in B | F1 (A vs B) |")
    print("|---|---:|---:|---:|---:|")
    for label in ENTITY_LABELS:
        row = result["labels"][label]
        print(f"| {label} | {row['both']} | {row['only_a']} | {row['only_b']} | {row['f1']:.3f} |")
    print(f"\nEntity micro-F1 between the passes: {result['micro_f1']:.3f}")
    print(f"Section labels, per-character agreement: {result['section_agreement']:.4f}")
    values = value_agreement(a, b)
    if values:
        print("\n| value field | same | compared | agreement |\n|---|---:|---:|---:|")
        for (label, name), (same, total) in values.items():
            print(f"| {label}.{name} | {same} | {total} | {same / total:.3f} |")


if __name__ == "__main__":
    main()

"""Agreement between the two independent annotation passes, before reconciling.

    python training/agreement.py annotations/passes/A annotations/passes/B

Each pass folder holds one ``<id>.json`` per seed (spans and sections, no text);
the text is read from ``seeds/<id>.txt``. Prints a Markdown table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lawie.train.annotations import ENTITY_LABELS, agreement

ROOT = Path(__file__).resolve().parents[1]


def read_pass(folder: Path) -> list[dict]:
    records = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        record["text"] = (ROOT / "seeds" / f"{record['id']}.txt").read_text(encoding="utf-8")
        records.append(record)
    return records


def main(a: str, b: str) -> None:
    result = agreement(read_pass(Path(a)), read_pass(Path(b)))
    print("| label | in both | only in A | only in B | F1 (A vs B) |")
    print("|---|---:|---:|---:|---:|")
    for label in ENTITY_LABELS:
        row = result["labels"][label]
        print(f"| {label} | {row['both']} | {row['only_a']} | {row['only_b']} | {row['f1']:.3f} |")
    print(f"\nEntity micro-F1 between the passes: {result['micro_f1']:.3f}")
    print(f"Section labels, per-character agreement: {result['section_agreement']:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])

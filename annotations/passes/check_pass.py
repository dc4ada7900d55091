"""Validate one annotation pass file: python annotations/passes/check_pass.py annotations/passes/A/000_880ad7a322cffbd7.json

The file holds {"id": ..., "spans": [{"start", "end", "label"}], "sections": [{"start", "end", "label"}]}
with offsets into seeds/<id>.txt read as UTF-8. Prints every span with its surface text so it can be read over.
"""
import json
import sys
from pathlib import Path

LABELS = {"LAW", "ORG", "COUNT", "RATE", "MONEY"}
SECTIONS = {"HEADER", "OVERVIEW", "MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS", "CLOSING"}


def main(path: str) -> int:
    rec = json.loads(Path(path).read_text(encoding="utf-8"))
    root = Path(__file__).resolve().parents[2]
    text = (root / "seeds" / f"{rec['id']}.txt").read_text(encoding="utf-8")
    errors = []
    spans = sorted(rec["spans"], key=lambda s: (s["start"], s["end"]))
    last_end = -1
    for s in spans:
        if s["label"] not in LABELS:
            errors.append(f"unknown label {s}")
        if not (0 <= s["start"] < s["end"] <= len(text)):
            errors.append(f"offsets out of range {s}")
        if s["start"] < last_end:
            errors.append(f"overlap at {s}")
        last_end = max(last_end, s["end"])
    secs = rec["sections"]
    pos = 0
    for s in secs:
        if s["label"] not in SECTIONS:
            errors.append(f"unknown section label {s}")
        if s["start"] != pos:
            errors.append(f"section gap/overlap at {s} (expected start {pos})")
        pos = s["end"]
    if pos != len(text):
        errors.append(f"sections end at {pos}, text length {len(text)}")
    for s in spans:
        print(f"{s['start']:6d} {s['end']:6d} {s['label']:6s} {text[s['start']:s['end']]}")
    for s in secs:
        print(f"SECTION {s['start']:6d} {s['end']:6d} {s['label']:10s} {text[s['start']:s['start'] + 30]!r}")
    for e in errors:
        print("ERROR", e)
    print(f"{len(spans)} spans, {len(secs)} sections, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Score and time the ``lawie_orgs`` component alone (after ``lawie_entity_rules``).

    python benchmarks/orgs.py            # P/R/F1 of ORG per seed against annotations/seeds.jsonl
    python benchmarks/orgs.py --speed    # also chars/second on the seeds repeated to 300 000 chars
    python benchmarks/orgs.py --show     # print the misses and the false alarms
    python benchmarks/orgs.py --synth 3000   # also agreement with lawie/train/synth_orgs.py labels

Gold offsets are raw; predicted spans are mapped to raw with ``span._.raw_start``/``raw_end``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

from lawie.pipeline.assemble import TOKENIZER

ROOT = Path(__file__).resolve().parents[1]


def pipeline():
    """The tokenizer, the entity rules and the ORG grammar (its proposals stand): nothing trained."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    for name in ("lawie_entity_rules", "lawie_orgs", "lawie_entities"):
        nlp.add_pipe(name)
    nlp.initialize()
    return nlp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--synth", type=int, default=0, metavar="N", help="score on N synthetic sentences (seed 1)")
    args = parser.parse_args()
    nlp = pipeline()
    records = [json.loads(x) for x in (ROOT / "annotations" / "seeds.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    total = [0, 0, 0]
    print(f"{'seed':24} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for rec in records:
        raw = rec["text"]
        gold = {(s["start"], s["end"]) for s in rec["spans"] if s["label"] == "ORG"}
        doc = nlp(raw)
        pred = {(e._.raw_start, e._.raw_end) for e in doc.ents if e.label_ == "ORG"}
        tp, fp, fn = len(gold & pred), len(pred - gold), len(gold - pred)
        for i, v in enumerate((tp, fp, fn)):
            total[i] += v
        p, r, f = prf(tp, fp, fn)
        print(f"{rec['id']:24} {len(gold):5} {len(pred):5} {p:6.3f} {r:6.3f} {f:6.3f}")
        if args.show:
            for s, e in sorted(pred - gold):
                print("   FP", raw[max(0, s - 8):s].replace("\n", "/"), "[", raw[s:e], "]", raw[e:e + 6].replace("\n", "/"))
            for s, e in sorted(gold - pred):
                print("   FN", raw[max(0, s - 8):s].replace("\n", "/"), "[", raw[s:e], "]", raw[e:e + 6].replace("\n", "/"))
    p, r, f = prf(*total)
    print(f"{'all (micro)':24} {total[0] + total[2]:5} {total[0] + total[1]:5} {p:6.3f} {r:6.3f} {f:6.3f}")
    if args.synth:
        from lawie.train.synth_orgs import generate

        grammar = nlp.get_pipe("lawie_orgs")
        tp = fp = fn = 0
        for rec in generate(args.synth, seed=1):
            gold = {(s["start"], s["end"]) for s in rec["spans"]}
            pred = set(grammar.find(rec["text"]))
            tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        p, r, f = prf(tp, fp, fn)
        print(f"grammar vs synthetic labels ({args.synth} sentences, {tp + fn} ORG): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    if args.speed:
        texts = [rec["text"] for rec in records]
        corpus, n = [], 0
        while n < 300_000:
            for t in texts:
                corpus.append(t)
                n += len(t)
        docs = [nlp.make_doc(t) for t in corpus]
        rules = nlp.get_pipe("lawie_entity_rules")
        docs = [rules(d) for d in docs]
        orgs = nlp.get_pipe("lawie_orgs")
        orgs(docs[0])  # build the matcher outside the timing
        t0 = time.perf_counter()
        for d in docs:
            orgs(d)
        dt = time.perf_counter() - t0
        chars = sum(len(d._.raw_text) for d in docs)
        print(f"lawie_orgs alone: {chars} raw chars in {dt:.3f} s = {chars / dt:,.0f} chars/s")


if __name__ == "__main__":
    main()

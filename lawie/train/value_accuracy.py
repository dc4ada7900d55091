"""Field-level accuracy of the value reader on gold spans of the real annotated texts.

The entity recogniser is left out: every gold ``COUNT``, ``RATE``, ``MONEY`` and
``LAW`` span is handed to :class:`~lawie.pipeline.values.ValueReader` over the
clean text, and each field of its value is compared with the gold
``normalized`` object (``annotations/dev.jsonl``, ``corpus.jsonl``, ``seeds.jsonl``).
Only the fields the gold carries are scored, so reader extras (``metrics``,
``change`` on a count) cost nothing.

The data is split once, by document: ``tune`` (the seeds, the development set and
corpus ids 001–099: what the rules were written on) and ``held`` (corpus ids
100–209: never looked at while writing them).

    python -m lawie.train.value_accuracy            # table: tune / held / all
    python -m lawie.train.value_accuracy --errors subject --split tune
    python -m lawie.train.value_accuracy --cv 5       # the picker, document-grouped 5-fold (--errors works too)
    python -m lawie.train.value_accuracy --cv 5 --train-share 0.5   # a point of the learning curve
    python -m lawie.train.value_accuracy --time       # what reading costs
    python -m lawie.train.value_accuracy --reach      # the most any ranking of the picker's candidates could score
    python -m lawie.train.value_accuracy --word-lists # without the picker, for comparison
    python -m lawie.train.subjects --on tune --out tune.json && \
        python -m lawie.train.value_accuracy --subjects tune.json   # held-out: trained on tune only
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..text.cleaning import clean_text

VALUE_LABELS = ("COUNT", "RATE", "MONEY", "LAW")
ANNOTATIONS = Path(__file__).resolve().parents[2] / "annotations"
GOLD_FILES = ("dev.jsonl", "corpus.jsonl", "seeds.jsonl")


def load(folder: Path = ANNOTATIONS, files: Sequence[str] = GOLD_FILES) -> list[dict[str, Any]]:
    """The real annotated records (those files that exist in ``folder``)."""
    records: list[dict[str, Any]] = []
    for name in files:
        path = Path(folder) / name
        if path.exists():
            with path.open(encoding="utf-8") as f:
                records.extend(json.loads(line) for line in f if line.strip())
    return records


def split_of(record_id: str) -> str:
    """``held`` for corpus-100…209, ``tune`` for the rest (dev-*, corpus-001…099, the seeds)."""
    if record_id.startswith("corpus-"):
        return "held" if int(record_id.split("-")[1]) >= 100 else "tune"
    return "tune"


def same(expected: Any, got: Any) -> bool:
    """Field equality; numbers compare with a small tolerance (0.9859 vs 0.98590000001)."""
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return math.isclose(expected, got, rel_tol=1e-6, abs_tol=1e-9)
    return expected == got


def predictions(reader: Any, record: dict[str, Any]) -> list[tuple[dict, dict, dict]]:
    """``(gold span, gold value, predicted value)`` for each value span of ``record``."""
    alignment = clean_text(record["text"])
    every = [s for s in record["spans"] if s.get("normalized") is not None]
    spans = []
    for s in every:
        cs, ce = alignment.to_clean(s["start"], s["end"])
        spans.append((cs, ce, s["label"]))
    # The reader reads the spans in text order, ORG spans included (as doc.ents in the pipeline).
    order = sorted(range(len(spans)), key=lambda i: spans[i][:2])
    values = reader.read(alignment.text, [spans[i] for i in order])
    pred: list[dict | None] = [None] * len(spans)
    for i, v in zip(order, values):
        pred[i] = v
    return [(s, s["normalized"], p or {}) for s, p in zip(every, pred) if s["label"] in VALUE_LABELS]


def score(reader: Any, records: Iterable[dict[str, Any]], reader_of: Callable[[dict], Any] | None = None) -> dict[str, Any]:
    """Accuracy per label and field, per label, and over every value field. ``reader`` reads every
    record, unless ``reader_of`` gives each record's reader (cross-validation)."""
    right: Counter = Counter()
    total: Counter = Counter()
    errors: list[dict[str, Any]] = []
    for record in records:
        alignment = None
        for span, gold, pred in predictions(reader_of(record) if reader_of else reader, record):
            label = span["label"]
            for name, expected in gold.items():
                ok = same(expected, pred.get(name))
                total[(label, name)] += 1
                right[(label, name)] += ok
                if not ok:
                    if alignment is None:
                        alignment = clean_text(record["text"])
                    cs, ce = alignment.to_clean(span["start"], span["end"])
                    errors.append(
                        {
                            "id": record["id"],
                            "label": label,
                            "field": name,
                            "gold": expected,
                            "pred": pred.get(name),
                            "context": alignment.text[max(0, cs - 30) : cs]
                            + "["
                            + alignment.text[cs:ce]
                            + "]"
                            + alignment.text[ce : ce + 8],
                        }
                    )
    fields = {f"{lab}.{name}": {"accuracy": right[(lab, name)] / n, "n": n} for (lab, name), n in sorted(total.items())}
    labels: dict[str, dict[str, float]] = {}
    for lab in VALUE_LABELS:
        n = sum(v for (l, _), v in total.items() if l == lab)
        if n:
            labels[lab] = {"accuracy": sum(v for (l, _), v in right.items() if l == lab) / n, "n": n}
    n_all = sum(total.values())
    return {
        "fields": fields,
        "labels": labels,
        "all": {"accuracy": sum(right.values()) / n_all if n_all else 0.0, "n": n_all},
        "errors": errors,
    }


def score_splits(reader: Any, records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups = {
        "tune": [r for r in records if split_of(r["id"]) == "tune"],
        "held": [r for r in records if split_of(r["id"]) == "held"],
        "all": list(records),
    }
    return {name: score(reader, recs) for name, recs in groups.items()}


def table(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    rows = [f"{'field':<18}" + "".join(f"{n:>16}" for n in names)]
    keys = list(next(iter(results.values()))["fields"])
    for split in results.values():
        keys += [k for k in split["fields"] if k not in keys]

    def cell(d: dict | None) -> str:
        return f"{d['accuracy']:.3f} ({d['n']:>4})" if d else " " * 16

    for key in keys:
        rows.append(f"{key:<18}" + "".join(f"{cell(results[n]['fields'].get(key)):>16}" for n in names))
    for lab in VALUE_LABELS:
        rows.append(f"{lab + ' (all fields)':<18}" + "".join(f"{cell(results[n]['labels'].get(lab)):>16}" for n in names))
    rows.append(f"{'ALL':<18}" + "".join(f"{cell(results[n]['all']):>16}" for n in names))
    return "\n".join(rows)


def reader_with(subjects: dict[str, Any]) -> Any:
    """The default value reader with this subject picker (``{}``: the word lists alone)."""
    from ..pipeline.values import ValueReader

    reader = ValueReader.default()
    reader.set_lexicons({**reader.lexicons, "subjects.json": subjects})
    return reader


def cross_validate(records: Sequence[dict[str, Any]], folds: int = 5, seed: int = 0, share: float = 1.0) -> dict[str, Any]:
    """Document-grouped ``folds``-fold cross-validation of the subject/metric picker: each fold's
    documents are read by a picker trained on the other folds' gold only, or on a random ``share``
    of their documents (a point of the learning curve)."""
    import random

    from .subjects import train

    ids = sorted(r["id"] for r in records)
    random.Random(seed).shuffle(ids)
    fold = {doc_id: n % folds for n, doc_id in enumerate(ids)}

    def training(k: int) -> list[dict[str, Any]]:
        docs = [r for r in records if fold[r["id"]] != k]
        return docs if share >= 1 else random.Random(f"{seed}/{k}").sample(docs, round(share * len(docs)))

    readers = {k: reader_with(train(training(k))) for k in range(folds)}
    return score(None, records, reader_of=lambda record: readers[fold[record["id"]]])


def reachable(records: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """How many gold subjects and metrics some candidate of the picker gets exactly right (a phrase,
    ``NULL`` or the figure before's), out of how many: the most any ranking of them could score."""
    from ..pipeline.values import ValueReader
    from .subjects import LABELS, examples

    decisions = examples(records, ValueReader.default())[0]  # one per figure that has a right candidate
    total = sum(1 for r in records for s in r["spans"] if s["label"] in LABELS and s.get("normalized"))
    return len(decisions), total


def reading_time(records: Sequence[dict[str, Any]], repeats: int = 5) -> dict[str, float]:
    """CPU seconds (best of ``repeats``) to read every gold value span, with the picker and with the
    word lists alone."""
    from ..pipeline.values import ValueReader

    inputs = []
    for record in records:
        alignment = clean_text(record["text"])
        spans = sorted(alignment.to_clean(s["start"], s["end"]) + (s["label"],) for s in record["spans"] if s.get("normalized") is not None)
        inputs.append((alignment.text, spans))
    out = {}
    for name, reader in (("picker", ValueReader.default()), ("word lists", reader_with({}))):
        best = float("inf")
        for _ in range(repeats):
            t0 = time.process_time()
            for text, spans in inputs:
                reader.read(text, spans)
            best = min(best, time.process_time() - t0)
        out[name] = best
    out["figures"] = sum(1 for _, spans in inputs for s in spans if s[2] in ("COUNT", "RATE"))
    out["characters"] = sum(len(text) for text, _ in inputs)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    from ..pipeline.values import ValueReader

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", metavar="FIELD", help="print the errors of this field (e.g. subject, COUNT.subject)")
    parser.add_argument("--split", default="tune", choices=("tune", "held", "all"))
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--cv", type=int, metavar="K", help="document-grouped K-fold cross-validation of the picker")
    parser.add_argument("--cv-seed", type=int, default=0, metavar="N", help="how the documents are dealt into folds (default 0)")
    parser.add_argument(
        "--train-share", type=float, default=1.0, metavar="F",
        help="with --cv: train each fold's picker on this share of the other folds' documents (learning curve; default 1)",
    )
    parser.add_argument("--time", action="store_true", help="CPU time of reading every gold span, picker vs word lists")
    parser.add_argument("--reach", action="store_true", help="how many gold subjects and metrics some candidate gets right")
    parser.add_argument("--word-lists", action="store_true", help="read subjects and metrics with the word lists alone (no picker)")
    parser.add_argument("--subjects", type=Path, metavar="FILE", help="the picker to score (a subjects.json; default: lawie/data/subjects.json)")
    args = parser.parse_args(argv)
    if not 0 < args.train_share <= 1 or (args.train_share < 1 and not args.cv):
        parser.error(f"--train-share {args.train_share}: give a share in (0, 1] together with --cv K")
    if args.time:
        t = reading_time(load())
        print(
            f"{t['characters']:,} characters, {t['figures']} COUNT/RATE figures: picker {t['picker']:.3f} s CPU "
            f"({1000 * t['picker'] / t['figures']:.2f} ms per figure), word lists alone {t['word lists']:.3f} s (best of 5)"
        )
        return
    if args.reach:
        hit, total = reachable(load())
        print(f"{hit} of {total} gold subjects and metrics ({hit / total:.3f}) have a candidate that is exactly right")
        return
    if args.cv:
        results = {f"{args.cv}-fold CV": cross_validate(load(), args.cv, args.cv_seed, args.train_share)}
    else:
        if args.word_lists:
            reader = reader_with({})
        elif args.subjects:
            reader = reader_with(json.loads(args.subjects.read_text(encoding="utf-8")))
        else:
            reader = ValueReader.default()
        results = score_splits(reader, load())
    if args.errors:
        split = next(iter(results.values())) if args.cv else results[args.split]
        for e in split["errors"]:
            if args.errors in (e["field"], f"{e['label']}.{e['field']}"):
                print(f"{e['id']}\t{e['label']}.{e['field']}\tgold={e['gold']!r}\tpred={e['pred']!r}\t{e['context']}")
        return
    if args.json:
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "errors"} for k, v in results.items()}, ensure_ascii=False, indent=1))
        return
    print(table(results))


if __name__ == "__main__":
    main()

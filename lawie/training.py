"""Training: annotations → DocBin over the clean text → statistical NER and heading classifier → pipeline.

``lawie train`` runs :func:`train`; ``lawie evaluate`` runs :func:`evaluate`
(leave-one-document-out over the seeds). The NER's architecture and
hyper-parameters are read from ``training/ner.cfg``; synthetic organisation
sentences come from ``training/synth_orgs.py`` and written heading examples
from ``training/headings.jsonl``.
"""

from __future__ import annotations

import importlib.util
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from .annotations import ENTITY_LABELS, SECTION_LABELS, read_jsonl, section_labels
from .assemble import ORDER, add_missing, blank_pipeline
from .normalize import normalize
from .sections import _HEADING

NER_LABELS = ("ORG",)
NUMBERED = ("MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS")


@dataclass
class TrainSettings:
    """Where things are and how much to train."""

    annotations: Path = Path("annotations")
    training_dir: Path = Path("training")
    seed: int = 0
    synthetic: int = 3000
    epochs: int | None = None  # None: as training/ner.cfg says
    log: Callable[[str], None] = field(default=lambda msg: print(msg, file=sys.stderr))

    @property
    def config(self) -> Path:
        return self.training_dir / "ner.cfg"


# -- data ---------------------------------------------------------------------


def seed_records(settings: TrainSettings) -> list[dict[str, Any]]:
    """The gold documents: every ``*.jsonl`` in the annotations folder but the novel-vocabulary test, read with ``datasets``."""
    from .annotations import load_dataset

    return list(load_dataset(settings.annotations))


def clean_examples(record: dict[str, Any], labels: Sequence[str] = NER_LABELS) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The record's clean text cut into lines, each with its entities in clean offsets."""
    norm = normalize(record["text"])
    starts = np.ascontiguousarray(norm.offsets[:, 0], dtype=np.int64)  # no copy per searchsorted call
    ends = np.ascontiguousarray(norm.offsets[:, 1], dtype=np.int64)
    spans = []
    for s in record["spans"]:
        if s["label"] not in labels:
            continue
        cs = int(np.searchsorted(starts, s["start"], "left"))
        ce = int(np.searchsorted(ends, s["end"], "right"))
        if cs < ce:
            spans.append((cs, ce, s["label"]))
    out, pos = [], 0
    for line in norm.text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((line, [(s - pos, e - pos, lab) for s, e, lab in spans if s >= pos and e <= end]))
        pos = end + 1
    return out


def synthetic_examples(settings: TrainSettings) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Sentences from ``training/synth_orgs.py`` (none if the generator is absent)."""
    path = settings.training_dir / "synth_orgs.py"
    if settings.synthetic <= 0 or not path.exists():
        return []
    spec = importlib.util.spec_from_file_location("lawie_synth_orgs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    records = module.generate(settings.synthetic, seed=settings.seed)
    return [(r["text"], [(s["start"], s["end"], s["label"]) for s in r["spans"]]) for r in records]


def to_docbin(nlp: Language, examples: Iterable[tuple[str, list[tuple[int, int, str]]]]) -> DocBin:
    db = DocBin(store_user_data=False)
    for text, spans in examples:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in spans]
        doc.ents = [e for e in ents if e is not None]
        db.add(doc)
    return db


def headings(records: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """``(clean heading, section type)`` of the numbered sections in the records."""
    out = []
    for record in records:
        for s in record.get("sections") or []:
            if s["label"] not in NUMBERED:
                continue
            first_line = normalize(record["text"][s["start"] : s["end"]]).text.split("\n", 1)[0]
            if _HEADING.match(first_line):
                out.append((first_line, s["label"]))
    return out


# -- training -----------------------------------------------------------------


def train_ner(examples: list[tuple[str, list]], settings: TrainSettings, workdir: Path) -> Language:
    """Train the statistical NER from ``training/ner.cfg`` on ``examples``."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "lawie.Tokenizer.v1"}}})
    rng = random.Random(settings.seed)
    examples = list(examples)
    rng.shuffle(examples)
    train_path, dev_path = workdir / "train.spacy", workdir / "dev.spacy"
    to_docbin(nlp, examples).to_disk(train_path)
    to_docbin(nlp, examples[:50]).to_disk(dev_path)
    overrides: dict[str, Any] = {"paths.train": str(train_path), "paths.dev": str(dev_path), "system.seed": settings.seed}
    if settings.epochs is not None:
        overrides["training.max_epochs"] = settings.epochs
    config = spacy.util.load_config(settings.config, overrides=overrides, interpolate=False)
    sink = io.StringIO()
    spacy.util.fix_random_seed(settings.seed)
    nlp = init_nlp(config, use_gpu=-1)
    nlp, _ = train_loop(nlp, None, use_gpu=-1, stdout=sink, stderr=sink)
    return nlp


def train_heading_classifier(pairs: list[tuple[str, str]], seed: int = 0) -> dict[str, Any]:
    """A character n-gram logistic regression over headings, as plain JSON data."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [t for t, _ in pairs]
    labels = [lab for _, lab in pairs]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), use_idf=False, norm="l2", lowercase=False)
    x = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    model.fit(x, labels)
    classes = list(model.classes_)
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # binary: one row of weights for the second class
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    vocab = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
    return {
        "labels": classes,
        "vocab": vocab,
        "ngram_range": [1, 3],
        "coef": [[round(float(w), 6) for w in row] for row in coef],
        "intercept": [round(float(b), 6) for b in intercept],
    }


def written_headings(settings: TrainSettings) -> list[tuple[str, str]]:
    path = settings.training_dir / "headings.jsonl"
    return [(r["text"], r["label"]) for r in read_jsonl(path)] if path.exists() else []


def build_pipeline(ner: Language | None, heading_data: dict[str, Any] | None) -> Language:
    """The full pipeline: rule components, the trained NER (if any) and the heading classifier."""
    nlp = blank_pipeline()
    nlp.initialize()
    if ner is not None:
        later = [n for n in ORDER[ORDER.index("ner") + 1 :] if n in nlp.pipe_names]
        nlp.add_pipe("ner", source=ner, before=later[0] if later else None)
        add_missing(nlp)  # the components that go after the NER
    if heading_data:
        from .sections import HeadingClassifier

        nlp.get_pipe("lawie_sections").classifier = HeadingClassifier(heading_data)
    return nlp


def fit(records: list[dict[str, Any]], settings: TrainSettings) -> Language:
    """Train on ``records`` (+ synthetic data and written headings) and return the full pipeline."""
    examples = [ex for r in records for ex in clean_examples(r)] + synthetic_examples(settings)
    with tempfile.TemporaryDirectory() as tmp:
        ner = train_ner(examples, settings, Path(tmp))
    heading_data = train_heading_classifier(headings(records) + written_headings(settings), settings.seed)
    return build_pipeline(ner, heading_data)


def train(settings: TrainSettings, output: Path) -> Language:
    """Train on all annotations and write the pipeline to ``output``."""
    t0 = time.time()
    records = seed_records(settings)
    settings.log(f"training on {len(records)} documents + {settings.synthetic} synthetic sentences (seed {settings.seed})")
    nlp = fit(records, settings)
    nlp.meta.update(
        {"name": "lawie_zh", "version": _version(), "description": "lawie: Chinese rule-of-law report extraction", "lawie_seed": settings.seed}
    )
    save_pipeline(nlp, output)
    settings.log(f"wrote {output} in {time.time() - t0:.0f} s")
    return nlp


def save_pipeline(nlp: Language, output: Path) -> None:
    """Write ``nlp`` to a temporary folder next to ``output``, then swap it in whole.

    The old pipeline is renamed aside and the new one renamed into place (two
    renames within one folder), then the old one is deleted: a run killed while
    saving leaves ``output`` as it was, never a half-written model. If it is
    killed between the two renames, the old pipeline is in ``.NAME.old-…``
    next to it.
    """
    import shutil

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        nlp.to_disk(tmp)
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            old.rmdir()
            os.replace(output, old)
            os.replace(tmp, output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _version() -> str:
    from .about import __version__

    return __version__


# -- evaluation -----------------------------------------------------------------


def score_entities(pairs: Iterable[tuple[set, set]]) -> dict[str, dict[str, float]]:
    """Per-label and micro precision/recall/F1 of (gold, predicted) sets of (start, end, label)."""
    tp, fp, fn = {lab: 0 for lab in ENTITY_LABELS}, {lab: 0 for lab in ENTITY_LABELS}, {lab: 0 for lab in ENTITY_LABELS}
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
    """Per-character accuracy and macro-F1 over section labels."""
    gold_all, pred_all = [], []
    for gold, pred in pairs:
        gold_all.extend(gold)
        pred_all.extend(pred)
    if not gold_all:
        return {"accuracy": 0.0, "macro_f1": 0.0}
    acc = sum(g == p for g, p in zip(gold_all, pred_all)) / len(gold_all)
    f1s = []
    for lab in SECTION_LABELS:
        t = sum(1 for g, p in zip(gold_all, pred_all) if g == p == lab)
        n_g = sum(1 for g in gold_all if g == lab)
        n_p = sum(1 for p in pred_all if p == lab)
        if n_g or n_p:
            f1s.append(2 * t / (n_g + n_p))
    return {"accuracy": acc, "macro_f1": sum(f1s) / len(f1s)}


def predict_spans(nlp: Language, text: str) -> set[tuple[int, int, str]]:
    from .api import extract

    return {(e.start, e.end, e.label) for e in extract(text, nlp=nlp).entities}


def predict_sections(nlp: Language, text: str) -> list[str | None]:
    from .api import extract

    sections = [s.to_dict() for s in extract(text, nlp=nlp).sections]
    return section_labels({"text": text, "sections": sections})


def gold_spans(record: dict[str, Any]) -> set[tuple[int, int, str]]:
    return {(s["start"], s["end"], s["label"]) for s in record["spans"]}


_VARIANTS = {
    "rules": ("lawie_entity_rules",),
    "rules + ORG grammar": ("lawie_entity_rules", "lawie_orgs"),
}


def _variant(nlp: Language, keep: Sequence[str]) -> Language:
    """``nlp`` without a statistical NER and with only the named rule components for entities."""
    variant = build_pipeline(None, nlp.get_pipe("lawie_sections").classifier.data)
    for name in ("lawie_entity_rules", "lawie_orgs"):
        if name in variant.pipe_names and name not in keep:
            variant.remove_pipe(name)
    return variant


def evaluate(settings: TrainSettings) -> dict[str, Any]:
    """Leave-one-document-out scores of the full pipeline and the rule baselines, and the novel-vocabulary set."""
    from sklearn.model_selection import LeaveOneGroupOut

    records = seed_records(settings)
    groups = [r["id"] for r in records]
    results: dict[str, list] = {"full": [], **{name: [] for name in _VARIANTS}}
    section_pairs = []
    for fold, (train_idx, test_idx) in enumerate(LeaveOneGroupOut().split(records, groups=groups)):
        t0 = time.time()
        nlp = fit([records[i] for i in train_idx], settings)
        for i in test_idx:
            record = records[i]
            gold = gold_spans(record)
            results["full"].append((gold, predict_spans(nlp, record["text"])))
            for name, keep in _VARIANTS.items():
                results[name].append((gold, predict_spans(_variant(nlp, keep), record["text"])))
            section_pairs.append((section_labels(record), predict_sections(nlp, record["text"])))
        settings.log(f"fold {fold + 1}/{len(records)} ({records[test_idx[0]]['id']}) in {time.time() - t0:.0f} s")
    report: dict[str, Any] = {
        "lodo": {name: score_entities(pairs) for name, pairs in results.items()},
        "sections": score_sections(section_pairs),
        "counts": label_counts(records),
        "documents": len(records),
    }
    novel_path = settings.annotations / "novel_orgs.jsonl"
    if novel_path.exists():
        novel = read_jsonl(novel_path)
        nlp = fit(records, settings)
        report["novel"] = {"full": score_entities((gold_spans(r), predict_spans(nlp, r["text"])) for r in novel)}
        for name, keep in _VARIANTS.items():
            variant = _variant(nlp, keep)
            report["novel"][name] = score_entities((gold_spans(r), predict_spans(variant, r["text"])) for r in novel)
        report["novel_counts"] = label_counts(novel)
    return report


def label_counts(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = {lab: 0 for lab in ENTITY_LABELS}
    for r in records:
        for s in r["spans"]:
            counts[s["label"]] += 1
    return counts


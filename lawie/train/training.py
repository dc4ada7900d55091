"""Training: annotations → DocBin over the clean text → the whole pipeline of ``config.cfg`` → section models.

``lawie train`` runs :func:`train`. The pipeline, the NER's architecture and
its hyper-parameters are read from ``lawie/train/config.cfg`` (or the config
given); synthetic organisation sentences come from :mod:`lawie.train.synth_orgs`
and written heading examples from ``lawie/train/headings.jsonl``.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from ..labels import NER_LABELS
from ..pipeline.assemble import blank_pipeline
from ..pipeline.corrections import compile_corrections
from ..text.cleaning import clean_text
from .annotations import NOVEL_FILE, read_jsonl, read_records
from .sections import fit_section_models

HERE = Path(__file__).parent
DEFAULT_CONFIG = HERE / "config.cfg"
HEADINGS = HERE / "headings.jsonl"


@dataclass
class TrainSettings:
    """Where the data is and how much to train."""

    annotations: Path = Path("annotations")
    config: Path = DEFAULT_CONFIG
    seed: int = 0
    synthetic: int = 3000
    epochs: int | None = None  # None: as the config says
    corrections: bool = True  # compile lawie_corrections from what the trained pipeline still gets wrong
    verbose: bool = False  # spaCy's per-epoch loss and score lines to standard error (``lawie train`` unless --quiet)
    log: Callable[[str], None] = field(default=lambda msg: print(msg, file=sys.stderr))


# -- data ---------------------------------------------------------------------


CORRECTIONS_FILE = "corrections.jsonl"


def gold_records(settings: TrainSettings) -> list[dict[str, Any]]:
    """The gold documents: every ``*.jsonl`` in the annotations folder but the novel-vocabulary test.

    Each document counts once: a record of ``corrections.jsonl`` replaces a record of
    another file with the same id or the same text (``lawie train --add --replace``),
    so training and the cross-validation folds never see a document twice.
    """
    folder = Path(settings.annotations)
    if not folder.is_dir() or not (folder / CORRECTIONS_FILE).exists():
        return read_records(folder)
    records = [r for f in sorted(folder.glob("*.jsonl")) if f.name not in (NOVEL_FILE, CORRECTIONS_FILE) for r in read_records(f)]
    corrected = read_records(folder / CORRECTIONS_FILE)
    return dedupe(records + corrected, corrected)


def dedupe(records: list[dict[str, Any]], winners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` without those that share an id or a text with one of ``winners`` (which stay)."""
    ids = {r["id"] for r in winners}
    texts = {r["text"] for r in winners}
    keep = {id(r) for r in winners}
    return [r for r in records if id(r) in keep or (r["id"] not in ids and r["text"] not in texts)]


def clean_examples(record: dict[str, Any], labels: Sequence[str] = NER_LABELS) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The record's clean text cut into lines, each with its entities in clean offsets."""
    aligned = clean_text(record["text"])
    spans = []
    for s in record["spans"]:
        if s["label"] in labels:
            cs, ce = aligned.to_clean(s["start"], s["end"])
            if cs < ce:
                spans.append((cs, ce, s["label"]))
    out, pos = [], 0
    for line in aligned.text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((line, [(s - pos, e - pos, lab) for s, e, lab in spans if s >= pos and e <= end]))
        pos = end + 1
    return out


def synthetic_examples(settings: TrainSettings) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Sentences from :mod:`lawie.train.synth_orgs`, labelled by construction."""
    from .synth_orgs import generate

    if settings.synthetic <= 0:
        return []
    records = generate(settings.synthetic, seed=settings.seed)
    return [(r["text"], [(s["start"], s["end"], s["label"]) for s in r["spans"]]) for r in records]


def to_docbin(nlp: Language, examples: Iterable[tuple[str, list[tuple[int, int, str]]]]) -> DocBin:
    db = DocBin(store_user_data=False)
    for text, spans in examples:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in spans]
        doc.ents = [e for e in ents if e is not None]
        db.add(doc)
    return db


# -- training -----------------------------------------------------------------


def train_pipeline(examples: list[tuple[str, list]], settings: TrainSettings, workdir: Path) -> Language:
    """The pipeline of ``settings.config`` with its NER trained on ``examples`` (spaCy's training loop)."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    tokenizer_only = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "lawie.Tokenizer.v1"}}})
    examples = list(examples)
    random.Random(settings.seed).shuffle(examples)
    train_path, dev_path = workdir / "train.spacy", workdir / "dev.spacy"
    to_docbin(tokenizer_only, examples).to_disk(train_path)
    to_docbin(tokenizer_only, examples[:50]).to_disk(dev_path)
    overrides: dict[str, Any] = {"paths.train": str(train_path), "paths.dev": str(dev_path), "system.seed": settings.seed}
    if settings.epochs is not None:
        overrides["training.max_epochs"] = settings.epochs
    config = spacy.util.load_config(settings.config, overrides=overrides, interpolate=False)
    sink = sys.stderr if settings.verbose else io.StringIO()
    if settings.verbose:
        # one row per epoch: epoch, step, losses and the score on 50 training lines
        # scores a few times an epoch; the logger prints the first row of each epoch
        words = sum(len(tokenizer_only.make_doc(text)) for text, _ in examples)
        config["training"]["eval_frequency"] = max(1, words // _batch_size(config))
        config["training"]["logger"] = {"@loggers": "lawie.EpochLogger.v1"}
        settings.log("training the NER, one row per epoch: E = epoch, # = step, LOSS NER (since the last score), scores on 50 training lines (in-sample)")
    spacy.util.fix_random_seed(settings.seed)
    nlp = init_nlp(config, use_gpu=-1)
    nlp, _ = train_loop(nlp, None, use_gpu=-1, stdout=sink, stderr=sink)
    return nlp


@spacy.registry.loggers("lawie.EpochLogger.v1")
def epoch_logger():
    """spaCy's console logger, printing only the first score row of each epoch (``lawie train`` unless --quiet)."""
    from spacy.training.loggers import console_logger

    make = console_logger(progress_bar=False)

    def setup(nlp, stdout=sys.stdout, stderr=sys.stderr):
        log_step, finalize = make(nlp, stdout, stderr)
        last = {"epoch": -1}

        def step(info):
            if info is None or info["epoch"] == last["epoch"]:
                return log_step(None)
            last["epoch"] = info["epoch"]
            return log_step(info)

        return step, finalize

    return setup


def _batch_size(config) -> int:
    """The largest batch, in words: ``words // size`` steps are at most one epoch (for a score row per epoch)."""
    size = config["training"].get("batcher", {}).get("size", 1000)
    if isinstance(size, dict):  # a schedule: batches grow from its start size to its stop size
        size = size.get("stop", size.get("start", 1000))
    try:
        return max(1, int(size))
    except (TypeError, ValueError):
        return 1000


def written_headings() -> list[tuple[str, str]]:
    """Heading examples written for the section types real excerpts never reach (problems, plans)."""
    return [(r["text"], r["label"]) for r in read_jsonl(HEADINGS)]


def rules_pipeline(section_models: dict[str, dict] | None = None) -> Language:
    """The pipeline without a statistical NER: rules, the ORG grammar's proposals, sections."""
    nlp = blank_pipeline()
    nlp.initialize()
    if section_models:
        nlp.get_pipe("lawie_sections").initialize(**section_models)
    return nlp


def fit(records: list[dict[str, Any]], settings: TrainSettings) -> Language:
    """Train on ``records`` (+ synthetic data and written headings) and return the full pipeline."""
    examples = [ex for r in records for ex in clean_examples(r)] + synthetic_examples(settings)
    with tempfile.TemporaryDirectory() as tmp:
        nlp = train_pipeline(examples, settings, Path(tmp))
    nlp.get_pipe("lawie_sections").initialize(**fit_section_models(records, written_headings(), seed=settings.seed))
    if any(s.get("normalized") for r in records for s in r["spans"]):
        from .subjects import train as train_subjects

        values = nlp.get_pipe("lawie_values")
        values.set_lexicons({**values.lexicons, "subjects.json": train_subjects(records)})
    if settings.corrections:
        nlp.get_pipe("lawie_corrections").initialize(entries=compile_corrections(records, lambda text: _spans(nlp, text)))
    return nlp


def _spans(nlp: Language, text: str) -> set[tuple[int, int, str]]:
    from ..api import extract

    return {(e.start, e.end, e.label) for e in extract(text, nlp=nlp).entities}


def train(settings: TrainSettings, output: Path) -> Language:
    """Train on all annotations and write the pipeline to ``output``."""
    t0 = time.time()
    records = gold_records(settings)
    settings.log(f"training on {len(records)} documents + {settings.synthetic} synthetic sentences (seed {settings.seed})")
    nlp = fit(records, settings)
    nlp.meta.update(
        {
            "name": "lawie_zh",
            "version": _version(),
            "description": "lawie: Chinese rule-of-law report extraction",
            "lawie_seed": settings.seed,
            "lawie_training": {
                "documents": len(records),
                "synthetic": settings.synthetic,
                # what it was trained on, by file, not a path of the training machine
                "annotations": _file_counts(records),
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
        }
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
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.meta.pop("lawie_source", None)  # where lawie.load found it: not part of the pipeline
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


def _file_counts(records: list[dict[str, Any]]) -> str:
    """What a pipeline was trained on, in words (no path of the training machine)."""
    from .evaluate import is_seed

    seeds = sum(is_seed(r) for r in records)
    return f"{seeds} seed reports and {len(records) - seeds} real report excerpts of annotations/"


def _version() -> str:
    from ..about import __version__

    return __version__

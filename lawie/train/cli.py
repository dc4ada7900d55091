"""Subcommands for the annotator loop: ``train``, ``evaluate``, ``annotate``, ``convert``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..files import UserError
from ..errors import Errors


def _settings(args: argparse.Namespace):
    from .training import DEFAULT_CONFIG, TrainSettings

    annotations = Path(args.annotations)
    if not annotations.is_dir():
        raise UserError(Errors.E007.format(path=annotations) + " (run from a clone of lawie, or pass --annotations)")
    config = Path(args.config) if args.config else DEFAULT_CONFIG
    if not config.is_file():
        raise UserError(Errors.E007.format(path=config) + " (give a spaCy config written like lawie/train/config.cfg)")
    return TrainSettings(annotations=annotations, config=config, seed=args.seed, synthetic=args.synthetic, epochs=args.epochs)


def _read_records(path: str, fmt: str) -> list[dict]:
    """The records of ``path`` in lawie's format, all valid and with unique ids (``ValueError`` otherwise)."""
    from .annotations import convert, read_jsonl, validate_all

    return validate_all(convert(read_jsonl(path), fmt, "lawie"), source=path)


def cmd_train(args: argparse.Namespace) -> int:
    from .annotations import read_jsonl, validate_all, write_jsonl
    from ..api import PIPELINE_DIR
    from .training import train

    settings = _settings(args)
    if args.add:
        # Everything is read and checked before corrections.jsonl is rewritten (atomically).
        added = _read_records(args.add, args.format)
        target = settings.annotations / "corrections.jsonl"
        existing = read_jsonl(target) if target.exists() else []
        ids = {r["id"] for r in added}
        merged = validate_all([r for r in existing if not isinstance(r, dict) or r.get("id") not in ids] + added, source=str(target))
        write_jsonl(merged, target)
        print(f"added {len(added)} corrected records to {target}", file=sys.stderr)
    output = Path(args.output) if args.output else PIPELINE_DIR
    train(settings, output)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, score_pipeline
    from .model_card import plot_curve, render_model_card, render_scores, render_table
    from .annotations import NOVEL_FILE
    from .training import seed_records

    settings = _settings(args)
    records = seed_records(settings)
    if args.model:
        from ..api import load

        scores = score_pipeline(load(args.model), records)
        print(f"{args.model} on all {len(records)} annotated documents (in-sample if it was trained on them):\n")
        print("\n".join(render_scores(scores)))
        if args.json:
            Path(args.json).write_text(json.dumps(scores, indent=1, ensure_ascii=False), encoding="utf-8")
        return 0
    report = evaluate(records, settings, k=args.folds, curve=not args.no_curve, n_jobs=args.jobs)
    novel = settings.annotations / NOVEL_FILE
    if novel.exists():  # short sentences written here, never trained on: the shipped pipeline's ORG on unseen names
        from ..api import load
        from .annotations import read_jsonl
        from .evaluate import gold_spans, predict, score_entities

        shipped = load()
        report["novel"] = score_entities((gold_spans(r), predict(shipped, r["text"]).spans) for r in read_jsonl(novel))
    print(render_table(report))
    if args.card:
        card = Path(args.card)
        png = None
        if report.get("curve"):
            image = card.parent / "images" / "learning-curve.png"
            image.parent.mkdir(parents=True, exist_ok=True)
            if plot_curve(report["curve"], image):
                png = str(image.relative_to(card.parent))
            else:
                print("lawie: matplotlib is not installed; the model card has no learning-curve image", file=sys.stderr)
        card.write_text(render_model_card(report, settings, curve_png=png), encoding="utf-8")
        print(f"wrote {card}" + (f" and {card.parent / png}" if png else ""), file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def record_ids(names: list[str]) -> list[str]:
    """One id per input name: the file stem, or the path without ``.txt`` where stems repeat
    (two ``report.txt`` in different folders), numbered if even that repeats."""
    stems = [Path(name).stem if name != "-" else "stdin" for name in names]
    counts: dict[str, int] = {}
    for stem in stems:
        counts[stem] = counts.get(stem, 0) + 1
    ids, seen = [], set()
    for name, stem in zip(names, stems):
        rid = stem
        if counts[stem] > 1 and name != "-":
            rid = Path(name).with_suffix("").as_posix()
        base, k = rid, 1
        while rid in seen:
            k += 1
            rid = f"{base}#{k}"
        seen.add(rid)
        ids.append(rid)
    return ids


def cmd_annotate(args: argparse.Namespace) -> int:
    from .annotations import convert, write_jsonl
    from ..files import check_output, iter_inputs, named_reports, skipped

    files = iter_inputs(args.paths)
    check_output(args.output, files)
    errors: list[str] = []
    pairs = list(named_reports(args, errors, files))
    ids = record_ids([name for name, _ in pairs])
    records = [
        {
            "id": rid,
            "text": report.text,
            "spans": [{"start": e.start, "end": e.end, "label": e.label} for e in report.entities],
            "sections": [s.to_dict() for s in report.sections],
        }
        for rid, (name, report) in zip(ids, pairs)
    ]
    n = write_jsonl(convert(records, "lawie", args.format), args.output)
    print(f"wrote {n} pre-annotated records to {args.output} ({args.format})", file=sys.stderr)
    return skipped(errors)


def cmd_convert(args: argparse.Namespace) -> int:
    from .annotations import convert, read_jsonl, validate_all, write_jsonl
    from ..files import check_output

    check_output(args.output, [args.input])
    # Read, convert and check every record before the output is written (atomically).
    records = validate_all(convert(read_jsonl(args.input), args.source, "lawie"), source=args.input)
    n = write_jsonl(convert(records, "lawie", args.target), args.output)
    print(f"converted {n} records", file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the model subcommands to the ``lawie`` parser."""
    from .annotations import FORMATS

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--annotations", default="annotations", help="folder of annotation JSONL (default: annotations)")
        p.add_argument("--config", help="the pipeline's training config (default: lawie/train/config.cfg)")
        p.add_argument("--seed", type=int, default=0, help="random seed (same seed and data, same model)")
        p.add_argument("--synthetic", type=int, default=3000, help="synthetic organisation sentences to add")
        p.add_argument("--epochs", type=int, help="training epochs (default: as the config says)")

    p = sub.add_parser("train", help="train the NER and section classifier and write the pipeline")
    common(p)
    p.add_argument("--output", help="pipeline folder (default: the one lawie.load() reads)")
    p.add_argument("--add", metavar="FILE", help="first add these corrected records to annotations/corrections.jsonl")
    p.add_argument("--format", default="lawie", choices=FORMATS, help="format of --add (default lawie)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="held-out scores (cross-validation on real excerpts, leave-one-out on seeds); writes the model card")
    common(p)
    p.add_argument("--card", default="docs/model-card.md", help="write the model card here ('' to skip)")
    p.add_argument("--folds", type=int, default=5, help="folds of the cross-validation over real excerpts (default 5)")
    p.add_argument("--no-curve", action="store_true", help="skip the learning curve (saves four trainings)")
    p.add_argument("--jobs", type=int, default=1, help="folds trained at once, in processes (default 1; at most the CPU count)")
    p.add_argument("--model", help="score this existing pipeline on all annotations instead (no training; in-sample if trained on them)")
    p.add_argument("--json", help="also write the scores as JSON here")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("annotate", help="pre-annotate reports with the model for correction")
    p.add_argument("paths", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", required=True, help="tasks JSONL to write")
    p.add_argument("--format", default="lawie", choices=FORMATS, help="lawie (default), doccano or labelstudio")
    p.add_argument("--model", help="a pipeline directory instead of the shipped one")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("convert", help="convert annotation JSONL between lawie, doccano and Label Studio")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--from", dest="source", required=True, choices=FORMATS)
    p.add_argument("--to", dest="target", required=True, choices=FORMATS)
    p.set_defaults(func=cmd_convert)

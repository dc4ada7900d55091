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
    return TrainSettings(
        annotations=annotations,
        config=config,
        seed=args.seed,
        synthetic=args.synthetic,
        epochs=args.epochs,
        verbose=not getattr(args, "quiet", True),
    )


def _read_records(path: str, fmt: str | None) -> tuple[list[dict], str]:
    """The records of ``path`` in lawie's format, all valid and with unique ids, and the format
    they were in (detected, and checked against ``fmt`` when it is given); ``ValueError`` otherwise."""
    from .annotations import convert, detect_format, read_jsonl, validate_all

    raw = read_jsonl(path)
    found = detect_format(raw, fmt, source=path)
    return validate_all(convert(raw, found, "lawie"), source=path), found


def installed_package(path: Path) -> bool:
    """True if ``path`` is inside an installed Python package (``site-packages``/``dist-packages``)."""
    return any(part in ("site-packages", "dist-packages") for part in Path(path).resolve().parts)


def output_folder(args: argparse.Namespace) -> Path:
    """``--output``, or the per-user default; never a folder inside an installed package."""
    from ..api import default_output

    output = Path(args.output) if args.output else default_output()
    if installed_package(output):
        raise UserError(
            f"{output} is inside an installed package; lawie train never writes there "
            f"(give --output DIR, default {default_output()}, then select it with --model or LAWIE_MODEL)"
        )
    if output.exists() and not output.is_dir():
        raise UserError(f"--output {output} is a file; give a folder for the pipeline")
    if output.is_dir() and any(output.iterdir()) and not (output / "config.cfg").exists():
        raise UserError(f"--output {output} is a folder that holds no pipeline; training replaces the whole folder, so give a new or a pipeline folder")
    return output


def already_annotated(added: list[dict], folder: Path, replace: bool) -> list[dict]:
    """The records of ``corrections.jsonl`` to keep once ``added`` is in.

    A document of ``added`` that is already in ``folder`` (same id or same text, in
    any annotation file) is refused with a one-line error unless ``replace``; with
    ``replace`` it supersedes the earlier record (see :func:`lawie.train.training.gold_records`).
    """
    from .annotations import NOVEL_FILE, read_jsonl
    from .training import CORRECTIONS_FILE

    ids = {r["id"]: r for r in added}
    texts = {r["text"]: r for r in added}
    kept: list[dict] = []
    for f in sorted(folder.glob("*.jsonl")):
        for r in read_jsonl(f):
            if not isinstance(r, dict):
                continue
            clash = ids.get(r.get("id")) or texts.get(r.get("text"))
            if clash is not None and not replace:
                how = "id" if r.get("id") in ids else "text"
                what = "the novel-vocabulary test set (never trained on)" if f.name == NOVEL_FILE else str(f)
                raise UserError(
                    f"{clash['id']!r} is already in {what} (same {how} as {r.get('id')!r}); "
                    "give --replace to replace that document with the corrected one"
                )
            if f.name == CORRECTIONS_FILE and clash is None:
                kept.append(r)
    return kept


def cmd_train(args: argparse.Namespace) -> int:
    import time

    from .annotations import validate_all, write_jsonl
    from .training import CORRECTIONS_FILE, train

    t0 = time.time()
    settings = _settings(args)
    output = output_folder(args)
    added: list[dict] = []
    if args.add:
        # Everything is read and checked before corrections.jsonl is rewritten (atomically).
        added, fmt = _read_records(args.add, args.format)
        if not added:
            raise UserError(f"{args.add} holds no records")
        kept = already_annotated(added, settings.annotations, args.replace)
        target = settings.annotations / CORRECTIONS_FILE
        merged = validate_all(kept + added, source=str(target))
        before = _previous_pipeline(output)
        write_jsonl(merged, target)
        print(f"added {len(added)} corrected records ({fmt}) to {target}", file=sys.stderr)
    nlp = train(settings, output)
    if args.add:
        from .compare import compare, render_comparison
        from .training import gold_records

        records = gold_records(settings)
        print(f"comparing the previous and the new pipeline on {len(records)} annotated documents…", file=sys.stderr)
        from ..files import progress_bar

        bar = progress_bar(records, total=len(records), unit="doc", desc="before/after", leave=False, disable_quiet=args.quiet)
        result = compare(before, nlp, bar, {r["id"] for r in added})
        print("\n".join(render_comparison(result, before_name=str(before.meta.get("lawie_source", {}).get("path", "previous")))))
    n = nlp.meta.get("lawie_training", {}).get("documents", "all")
    print(f"lawie train: wrote {output} (trained on {n} documents) in {time.time() - t0:.0f} s; use it with --model {output} or LAWIE_MODEL={output}", file=sys.stderr)
    return 0


def _previous_pipeline(output: Path):
    """The pipeline before retraining: the one at ``output`` if there is one, else the shipped one."""
    from ..api import PIPELINE_DIR, load

    return load(output if (output / "config.cfg").exists() else PIPELINE_DIR)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, score_pipeline
    from .model_card import plot_curve, render_model_card, render_scores, render_table
    from .annotations import NOVEL_FILE
    from .training import gold_records

    import time

    t0 = time.time()
    settings = _settings(args)
    records = gold_records(settings)
    if args.model:
        from ..api import load

        from ..files import progress_bar

        scores = score_pipeline(load(args.model), progress_bar(records, total=len(records), unit="doc", desc="scoring", leave=False))
        print(f"{args.model} on all {len(records)} annotated documents (in-sample if it was trained on them):\n")
        print("\n".join(render_scores(scores)))
        if args.json:
            Path(args.json).write_text(json.dumps(scores, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"lawie evaluate: scored {args.model} on {len(records)} documents in {time.time() - t0:.0f} s", file=sys.stderr)
        return 0
    if args.from_json:  # re-render the card of an earlier run, figures unchanged
        report = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
    else:
        report = evaluate(records, settings, k=args.folds, curve=not args.no_curve, n_jobs=args.jobs)
    novel = settings.annotations / NOVEL_FILE
    if novel.exists() and not args.from_json:  # short sentences written here, never trained on: the shipped pipeline's ORG on unseen names
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
    what = f"rendered the run of {args.from_json}" if args.from_json else f"cross-validated over {len(records)} documents"
    print(f"lawie evaluate: {what} in {time.time() - t0:.0f} s", file=sys.stderr)
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
    import time

    from ..files import check_output, iter_inputs, named_reports, skipped

    t0 = time.time()
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
    if not records:
        print(f"lawie annotate: no report could be read; {args.output} not written", file=sys.stderr)
        return skipped(errors) or 1
    n = write_jsonl(convert(records, "lawie", args.format), args.output)
    print(f"lawie annotate: wrote {n} pre-annotated records to {args.output} ({args.format}) in {time.time() - t0:.1f} s", file=sys.stderr)
    return skipped(errors)


def cmd_convert(args: argparse.Namespace) -> int:
    import time

    from .annotations import convert, write_jsonl
    from ..files import check_output

    t0 = time.time()
    check_output(args.output, [args.input])
    if not Path(args.input).is_file():
        raise UserError(Errors.E007.format(path=args.input))
    # Read, detect, convert and check every record before the output is written (atomically).
    records, found = _read_records(args.input, args.source)
    n = write_jsonl(convert(records, "lawie", args.target), args.output)
    print(f"lawie convert: wrote {n} records to {args.output} ({found} → {args.target}) in {time.time() - t0:.1f} s", file=sys.stderr)
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
    p.add_argument(
        "--output",
        help="pipeline folder to write (default: $XDG_DATA_HOME/lawie/model, i.e. ~/.local/share/lawie/model; never inside an installed package)",
    )
    p.add_argument("--add", metavar="FILE", help="first add these corrected records to annotations/corrections.jsonl, then compare before/after")
    p.add_argument("--format", default="auto", choices=("auto", *FORMATS), help="format of --add (default: detected)")
    p.add_argument("--replace", action="store_true", help="let --add replace a document already in annotations/ (same id or text)")
    p.add_argument("-q", "--quiet", action="store_true", help="no per-epoch training lines")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="held-out scores (cross-validation on real excerpts, leave-one-out on seeds); writes the model card")
    common(p)
    p.add_argument("--card", default="docs/model-card.md", help="write the model card here ('' to skip)")
    p.add_argument("--folds", type=int, default=5, help="folds of the cross-validation over real excerpts (default 5)")
    p.add_argument("--no-curve", action="store_true", help="skip the learning curve (saves four trainings)")
    p.add_argument("--from-json", metavar="FILE", help="write the card from the --json of an earlier run (no training)")
    p.add_argument("--jobs", type=int, default=1, help="folds trained at once, in processes (default 1; at most the CPU count)")
    p.add_argument("--model", help="score this existing pipeline on all annotations instead (no training; in-sample if trained on them)")
    p.add_argument("--json", help="also write the scores as JSON here")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("annotate", help="pre-annotate reports with the model for correction")
    p.add_argument("paths", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", required=True, help="tasks JSONL to write")
    p.add_argument("--format", default="lawie", choices=FORMATS, help="lawie (default), doccano or labelstudio")
    p.add_argument("--model", help="a pipeline directory instead of the shipped one (or set LAWIE_MODEL)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("convert", help="convert annotation JSONL between lawie, doccano and Label Studio")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--from", dest="source", default="auto", choices=("auto", *FORMATS), help="format of INPUT (default: detected)")
    p.add_argument("--to", dest="target", required=True, choices=FORMATS)
    p.set_defaults(func=cmd_convert)

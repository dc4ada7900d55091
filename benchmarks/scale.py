"""Throughput of lawie on one machine and on a local Spark session, on the same input.

    python benchmarks/scale.py                      # the seeds repeated to 300 000 characters
    python benchmarks/scale.py --chars 1000000 --repeat 3

The input is the five seed reports repeated (whole reports) until it holds at
least ``--chars`` characters. It is run through:

* ``lawie.extract_many(texts, n_process=1)`` and ``n_process=2`` (one machine);
* ``lawie.outputs.spark.extract_udf()`` on a ``local[2]`` session, the DataFrame in two
  partitions, evaluated into Spark's ``noop`` sink (nothing is written).

Each figure is the best of ``--repeat`` runs; for Spark the first run is also
shown on its own, since it starts the Python workers and loads the pipeline in
each. Every method must find the same number of entities, or the script fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(chars: int) -> list[str]:
    """The seed reports, repeated whole, until there are at least ``chars`` characters."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts: list[str] = []
    while sum(map(len, texts)) < chars:
        texts.append(seeds[len(texts) % len(seeds)])
    return texts


def timed(run: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    """Seconds of each of ``repeat`` runs of ``run`` and the entity count it returned (the same each time)."""
    seconds, counts = [], set()
    for _ in range(repeat):
        start = time.perf_counter()
        counts.add(run())
        seconds.append(time.perf_counter() - start)
    if len(counts) != 1:
        raise SystemExit(f"runs disagree on the number of entities: {sorted(counts)}")
    return seconds, counts.pop()


def line(name: str, seconds: float, chars: int, docs: int, entities: int) -> str:
    rates = f"{chars / seconds:12,.0f} chars/s {docs / seconds:8.1f} docs/s"
    return f"{name:<34} {seconds:8.2f} s {rates}  {entities} entities"


def spark_session(cores: int):
    """A ``local[cores]`` session on the loopback address, without UI."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("lawie-scale-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def java_version() -> str:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr
    except OSError:
        return "no java"
    return out.splitlines()[0] if out else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=300_000, help="size of the input in characters")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each method (the best is shown)")
    parser.add_argument("--batch-size", type=int, default=16, help="texts per spaCy batch, in both methods")
    parser.add_argument("--cores", type=int, default=2, help="n_process and local[N]")
    args = parser.parse_args()

    import pyspark
    import spacy
    from pyspark.sql import functions as F

    import lawie
    from lawie.outputs.spark import extract_udf

    texts = corpus(args.chars)
    chars, docs = sum(map(len, texts)), len(texts)
    nlp = lawie.load()
    print(f"pipeline: {nlp.pipe_names}")
    print(
        f"input: {docs} reports, {chars:,} characters (the seeds repeated); "
        f"{os.cpu_count()} cores; Python {platform.python_version()}, spaCy {spacy.__version__}, "
        f"pyspark {pyspark.__version__}, {java_version()}"
    )
    print("load average before the runs (the machine may be shared): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    found = set()
    for n_process in sorted({1, args.cores}):
        def one_machine(n: int = n_process) -> int:
            reports = lawie.extract_many(texts, nlp=nlp, n_process=n, batch_size=args.batch_size)
            return sum(len(r.entities) for r in reports)

        seconds, entities = timed(one_machine, args.repeat)
        found.add(entities)
        print(line(f"extract_many n_process={n_process}", min(seconds), chars, docs, entities))

    start = time.perf_counter()
    spark = spark_session(args.cores)
    print(f"spark session start: {time.perf_counter() - start:.2f} s")
    try:
        df = spark.createDataFrame([(t,) for t in texts], "text string").repartition(args.cores).cache()
        df.count()  # the input is in executor memory before timing
        out = df.select(extract_udf(batch_size=args.batch_size)("text").alias("r"))

        def on_spark() -> int:
            out.write.format("noop").mode("overwrite").save()
            return 0

        first, _ = timed(on_spark, 1)
        rest, _ = timed(on_spark, max(args.repeat, 1))
        entities = out.select(F.sum(F.size("r.entities"))).first()[0]
        errors = out.where(F.col("r.error").isNotNull()).count()
        if errors:
            raise SystemExit(f"{errors} rows failed on Spark")
        found.add(entities)
        if len(found) != 1:
            raise SystemExit(f"the methods disagree on the number of entities: {sorted(found)}")
        print(line(f"spark local[{args.cores}] first run", first[0], chars, docs, entities))
        print(line(f"spark local[{args.cores}]", min(rest), chars, docs, entities))
    finally:
        spark.stop()


if __name__ == "__main__":
    main()

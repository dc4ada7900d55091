"""lawie.outputs.spark: the pandas UDF on a local Spark session gives what lawie.extract gives."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

import lawie

IN_CI = os.environ.get("CI", "").lower() == "true"
# pyspark warns that pandas >= 3 is not fully supported; what lawie uses of it is tested here.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def _unavailable(reason: str) -> None:
    """CI must run the Spark tests: there a missing pyspark or Java is a failure, elsewhere a skip."""
    if IN_CI:
        pytest.fail(f"{reason}; CI installs `.[test,spark]` and needs Java 17 (see .ci/run)", pytrace=False)
    pytest.skip(reason)


try:
    import lawie.outputs.spark as lawie_spark
except ImportError as err:  # pragma: no cover - depends on the installation
    lawie_spark = None
    _IMPORT_ERROR = str(err)


@pytest.fixture(scope="module")
def spark_module():
    if lawie_spark is None:
        _unavailable(f"pyspark is not installed ({_IMPORT_ERROR})")
    return lawie_spark


@pytest.fixture(scope="module")
def spark(spark_module):
    """A local[2] session bound to the loopback address, without UI; stopped after the module."""
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        _unavailable("no Java runtime (java on PATH or JAVA_HOME)")
    from pyspark.sql import SparkSession

    env = {"SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("lawie-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        # small Arrow batches, so a worker sees several batches and reuses its pipeline
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _assert_same_report(row, report: lawie.Report, where: str) -> None:
    """A Spark result struct holds, field by field, what ``lawie.extract`` returned."""
    assert row.error is None, where
    assert len(row.entities) == len(report.entities), where
    for got, want in zip(row.entities, report.entities):
        assert (got.start, got.end, got.label, got.text) == (want.start, want.end, want.label, want.text), where
        assert json.loads(got.normalized) == want.normalized, (where, want)
    want_sections = [(s.start, s.end, s.label) for s in report.sections]
    assert [(s.start, s.end, s.label) for s in row.sections] == want_sections, where
    assert json.loads(row.meta) == report.meta, where
    rows = report.indicators()
    assert len(row.indicators) == len(rows), where
    for got, want in zip(row.indicators, rows):
        missing = set(want) - set(got.asDict())
        assert not missing, f"indicator columns missing from the Spark schema: {missing}"
        for name, value in want.items():
            assert getattr(got, name) == value, (where, name, value, getattr(got, name))


@pytest.mark.slow
def test_udf_on_local_spark_matches_extract(spark, spark_module, nlp, seed_texts):
    names = sorted(seed_texts)
    encodings = ["utf-8", "gb18030", "utf-16", "utf-8-sig", "utf-8"]
    records = [(i, seed_texts[n], seed_texts[n].encode(enc)) for i, (n, enc) in enumerate(zip(names, encodings))]
    records.append((len(names), None, None))
    records.append((len(names) + 1, "全年审理行政复议案件62件。", b"report \x80\xff"))
    df = spark.createDataFrame(records, "id int, text string, data binary").repartition(2)
    udf = spark_module.extract_udf()
    out = {r.id: r for r in df.select("id", udf("text").alias("from_text"), udf("data").alias("from_bytes")).collect()}

    assert len(out) == len(records)
    for i, name in enumerate(names):
        report = lawie.extract(seed_texts[name], nlp=nlp)
        _assert_same_report(out[i].from_text, report, f"{name} (string column)")
        _assert_same_report(out[i].from_bytes, report, f"{name} ({encodings[i]} bytes)")

    null_row = out[len(names)]
    for result in (null_row.from_text, null_row.from_bytes):
        assert result.error.startswith("ValueError: [E071]")
        assert result.entities is None and result.sections is None and result.indicators is None and result.meta is None
    mixed = out[len(names) + 1]
    assert mixed.from_bytes.error.startswith("ValueError: [E002]") and mixed.from_bytes.entities is None
    assert mixed.from_text.error is None
    assert [(e.text, json.loads(e.normalized)["value"]) for e in mixed.from_text.entities] == [("62件", 62)]


def test_schema_is_declared_and_follows_indicator_columns(spark_module):
    from pyspark.sql import types as T

    from lawie.outputs.indicators import INDICATOR_COLUMNS

    schema = spark_module.report_schema()
    assert schema.fieldNames() == ["entities", "sections", "indicators", "meta", "error"]
    entity = schema["entities"].dataType.elementType
    assert entity.fieldNames() == ["start", "end", "label", "text", "normalized"]
    assert isinstance(entity["start"].dataType, T.IntegerType)
    assert isinstance(entity["normalized"].dataType, T.StringType)
    indicator = schema["indicators"].dataType.elementType
    assert tuple(indicator.fieldNames()) == tuple(INDICATOR_COLUMNS)
    assert isinstance(indicator["value"].dataType, T.DoubleType)
    assert isinstance(schema["meta"].dataType, T.StringType)


def test_bad_values_get_an_error_and_keep_their_place(spark_module, nlp, seed_texts):
    text = seed_texts["002_7cbc334219cd1cfe"]
    rows = spark_module.extract_rows([text, None, b"\x80\xff report", 3, text.encode("gb18030"), ""])
    assert [r["error"] and r["error"].split("]")[0] for r in rows] == [
        None,
        "ValueError: [E071",
        "ValueError: [E002",
        "TypeError: [E001",
        None,
        None,
    ]
    want = [(e.start, e.end, e.label) for e in lawie.extract(text, nlp=nlp).entities]
    for good in (rows[0], rows[4]):
        assert [(e["start"], e["end"], e["label"]) for e in good["entities"]] == want
    assert rows[5]["entities"] == [] and rows[5]["sections"] == []
    assert all(r["entities"] is None and r["meta"] is None for r in rows[1:4])


def _failing_component(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("this text breaks the pipeline")
    return doc


def test_a_text_that_breaks_the_pipeline_fails_alone(spark_module, tmp_path: Path):
    from spacy.language import Language

    if "test_spark_boom" not in Language.factories:
        Language.component("test_spark_boom", func=_failing_component)
    nlp = lawie.load()
    nlp.add_pipe("test_spark_boom")
    nlp.to_disk(tmp_path / "model")
    rows = spark_module.extract_rows(
        ["全年审理行政复议案件62件。", "BOOM 办理案件3件。", "培训800小时。"],
        model=str(tmp_path / "model"),
        batch_size=8,
    )
    assert rows[1]["error"] == "RuntimeError: this text breaks the pipeline" and rows[1]["entities"] is None
    assert [[e["text"] for e in r["entities"]] for r in (rows[0], rows[2])] == [["62件"], ["800小时"]]


def test_udf_carries_the_model_path_not_the_pipeline(spark_module, tmp_path):
    from pyspark import cloudpickle

    spark_module.pipeline()  # a loaded pipeline in the driver must not travel with the UDF
    udf = spark_module.extract_udf(str(tmp_path / "model"), batch_size=4)
    cells = [c.cell_contents for c in udf.func.__closure__ or ()]
    assert sorted(map(repr, cells)) == sorted(map(repr, [str(tmp_path / "model"), 4]))
    assert len(cloudpickle.dumps(udf.func)) < 10_000


def test_pipeline_is_loaded_once_per_process_and_model(spark_module):
    assert spark_module.pipeline() is spark_module.pipeline()
    path = str(lawie.api.PIPELINE_DIR)
    assert spark_module.pipeline(path) is spark_module.pipeline(path)


def test_batch_size_is_checked(spark_module):
    with pytest.raises(ValueError, match="batch_size"):
        spark_module.extract_udf(batch_size=0)

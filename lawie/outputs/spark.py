"""Run lawie inside an Apache Spark job: a column of texts in, a column of report structs out.

>>> from lawie.outputs.spark import extract_udf
>>> df = spark.read.parquet("reports/").withColumn("lawie", extract_udf()("text"))
>>> df.select("id", "lawie.error", "lawie.entities").show()

:func:`extract_udf` returns a pandas UDF whose result type is :func:`report_schema`.
The pipeline is never pickled with it: each executor's Python worker loads it once,
on first use, into a cache keyed by the model path (:func:`pipeline`), and runs it
in that one process (no spaCy multiprocessing inside Spark; Spark runs one worker
per task slot). A row that cannot be read or extracted gets its ``error`` field set
and null ``entities``/``sections``/``indicators``/``meta``; the job goes on.

Free-form values, an entity's ``normalized`` and a report's ``meta``, are JSON
strings, so the schema stays the same as they gain keys: read them with
``F.get_json_object(col, "$.year")`` or ``F.from_json``.
"""

import json
import math
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Errors

try:
    import pandas as pd
    from pyspark.sql import Column
    from pyspark.sql import types as T
    from pyspark.sql.functions import pandas_udf
except ImportError as err:  # pragma: no cover - depends on the installation
    raise ImportError(Errors.E070.format(missing=err.name or "pyspark")) from err

from spacy.language import Language

from ..api import _as_text, extract, extract_many, load
from .indicators import INDICATOR_COLUMNS
from ..report import Report

COLUMNS = ("entities", "sections", "indicators", "meta", "error")

# Spark types of the indicator columns that are not strings; any other column
# (lawie.outputs.indicators.INDICATOR_COLUMNS is the list) is a string, JSON if its
# value is not a string.
_INDICATOR_TYPES = {
    "value": T.DoubleType,
    "points": T.DoubleType,
    "year": T.IntegerType,
    "shared": T.IntegerType,
    "start": T.IntegerType,
    "end": T.IntegerType,
}


def indicator_fields() -> tuple[str, ...]:
    """The columns of an indicator row, in order: ``lawie.outputs.indicators.INDICATOR_COLUMNS``."""
    return tuple(INDICATOR_COLUMNS)


def _field(name: str, data_type: T.DataType) -> T.StructField:
    return T.StructField(name, data_type, nullable=True)


def report_schema() -> T.StructType:
    """The Spark type of one extracted report (the UDF's result type).

    ``entities`` array<struct<start, end, label, text, normalized (JSON)>>,
    ``sections`` array<struct<start, end, label>>, ``indicators``
    array<struct<…:func:`indicator_fields`…>>, ``meta`` (JSON) and ``error``
    (null when the row was extracted).
    """
    entity = T.StructType(
        [
            _field("start", T.IntegerType()),
            _field("end", T.IntegerType()),
            _field("label", T.StringType()),
            _field("text", T.StringType()),
            _field("normalized", T.StringType()),
        ]
    )
    section = T.StructType(
        [_field("start", T.IntegerType()), _field("end", T.IntegerType()), _field("label", T.StringType())]
    )
    indicator = T.StructType([_field(n, _INDICATOR_TYPES.get(n, T.StringType)()) for n in indicator_fields()])
    return T.StructType(
        [
            _field("entities", T.ArrayType(entity)),
            _field("sections", T.ArrayType(section)),
            _field("indicators", T.ArrayType(indicator)),
            _field("meta", T.StringType()),
            _field("error", T.StringType()),
        ]
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _cell(value: Any, kind: type[T.DataType]) -> Any:
    """``value`` as the Python value Arrow expects for a field of Spark type ``kind``."""
    if value is None:
        return None
    if kind is T.IntegerType:
        return int(value)
    if kind is T.DoubleType:
        return float(value)
    return value if isinstance(value, str) else _json(value)


def _indicator_rows(report: Report) -> list[dict[str, Any]]:
    fields = indicator_fields()
    return [
        {n: _cell(row.get(n), _INDICATOR_TYPES.get(n, T.StringType)) for n in fields}
        for row in report.indicators()
    ]


def report_row(report: Report) -> dict[str, Any]:
    """One report as a row of :func:`report_schema`; ``error`` is null."""
    return {
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "normalized": _json(e.normalized)}
            for e in report.entities
        ],
        "sections": [s.to_dict() for s in report.sections],
        "indicators": _indicator_rows(report),
        "meta": _json(report.meta),
        "error": None,
    }


def error_row(error: BaseException) -> dict[str, Any]:
    """The row of a text that could not be extracted: only ``error`` is set."""
    message = f"{type(error).__name__}: {error}"
    return {"entities": None, "sections": None, "indicators": None, "meta": None, "error": message}


@lru_cache(maxsize=4)
def pipeline(model: str | None = None) -> Language:
    """The pipeline at ``model`` (None: the shipped one), loaded once per Python process."""
    return load(model)


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _row(text: str, nlp: Language) -> dict[str, Any]:
    try:
        return report_row(extract(text, nlp=nlp))
    except Exception as err:  # noqa: BLE001 - a bad row must not fail the job
        return error_row(err)


def extract_rows(values: Iterable[Any], *, model: str | None = None, batch_size: int = 16) -> list[dict[str, Any]]:
    """Rows of :func:`report_schema` for ``values`` (str, bytes or null), in order, one per value.

    What the UDF runs on each Arrow batch. Nulls and values that are not text
    or do not decode get an ``error``; the others go through
    :func:`lawie.extract_many` in this process.
    """
    nlp = pipeline(model)
    rows: list[dict[str, Any] | None] = []
    texts: list[tuple[int, str]] = []
    for i, value in enumerate(values):
        if _is_null(value):
            rows.append(error_row(ValueError(Errors.E071)))
            continue
        try:
            texts.append((i, _as_text(value)))
            rows.append(None)
        except (TypeError, ValueError) as err:
            rows.append(error_row(err))
    try:
        reports = list(extract_many([t for _, t in texts], nlp=nlp, batch_size=batch_size))
        done = [report_row(r) for r in reports]
    except Exception:  # noqa: BLE001 - one text broke the batch: redo it text by text
        done = [_row(t, nlp) for _, t in texts]
    for (i, _), row in zip(texts, done):
        rows[i] = row
    return rows  # type: ignore[return-value]


def extract_udf(model: str | Path | None = None, *, batch_size: int = 16) -> Callable[..., Column]:
    """A pandas UDF: a string or binary column of reports → a column of :func:`report_schema` structs.

    ``model`` is a pipeline directory as seen from the executors (None: the one
    shipped with lawie). ``batch_size`` is the number of texts handed to spaCy
    at once inside a worker; Spark's ``spark.sql.execution.arrow.maxRecordsPerBatch``
    sets how many rows a worker receives at once.
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(Errors.E005.format(name="batch_size", expected="a positive int", value=batch_size))
    path = str(model) if model is not None else None

    # Only `path` and `batch_size` travel with this function; the pipeline is
    # loaded on the executor by pipeline(), which is imported there by name.
    def extract_batches(batches: Iterator[pd.Series]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield pd.DataFrame(extract_rows(batch, model=path, batch_size=batch_size), columns=list(COLUMNS))

    return pandas_udf(extract_batches, returnType=report_schema())


__all__ = [
    "extract_udf",
    "extract_rows",
    "report_schema",
    "report_row",
    "error_row",
    "indicator_fields",
    "pipeline",
    "COLUMNS",
]

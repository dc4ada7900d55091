"""The base of lawie's lexicon-backed components: data loaded once, serialised like spaCy's own.

A component names the JSON files it reads (``DATA_FILES``); their source is
``lawie/data``. ``initialize()`` loads them from there (or from ``data_path``),
``to_disk``/``from_disk`` write and read one copy in the component's folder of a
saved pipeline, and a missing file is an error, never a silent fallback. The
data are compiled (patterns, matchers) once per load, never per document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import Errors

DATA_DIR = Path(__file__).parents[1] / "data"


def read_lexicons(directory: str | Path, files: Iterable[str], component: str) -> dict[str, Any]:
    """``{file name: content}`` of the JSON ``files`` in ``directory``; a missing one is an error."""
    directory = Path(directory)
    out = {}
    for name in files:
        path = directory / name
        if not path.is_file():
            raise OSError(Errors.E018.format(path=path, component=component))
        out[name] = json.loads(path.read_text(encoding="utf-8"))  # not srsly: its floats drift by 1e-16
    return out


class LexiconComponent:
    """A pipeline component whose behaviour is compiled from JSON lexicons (``DATA_FILES``)."""

    DATA_FILES: ClassVar[tuple[str, ...]] = ()
    #: Files among DATA_FILES that ``lawie train`` fits: a model's copy is its own, not lawie/data's.
    TRAINED_FILES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, nlp: Language | None, name: str) -> None:
        self.name = name
        self.lexicons: dict[str, Any] = {}

    # -- data ---------------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp: Language | None = None, data_path: str | None = None) -> None:
        """Load the lexicons from ``data_path`` (a folder holding ``DATA_FILES``) or ``lawie/data``."""
        self.set_lexicons(read_lexicons(data_path or DATA_DIR, self.DATA_FILES, self.name))

    def set_lexicons(self, lexicons: dict[str, Any]) -> None:
        """Replace the lexicons (``{file name: content}``) and compile them."""
        missing = [f for f in self.DATA_FILES if f not in lexicons]
        if missing:
            raise ValueError(Errors.E019.format(component=self.name, files=", ".join(missing)))
        previous, self.lexicons = self.lexicons, {f: lexicons[f] for f in self.DATA_FILES}
        try:
            self.compile()
        except Exception:
            self.lexicons = previous  # a refused lexicon leaves the component as it was
            raise

    def compile(self) -> None:
        """Build patterns and tables from ``self.lexicons``."""

    def require(self) -> None:
        if not self.lexicons:
            raise RuntimeError(Errors.E020.format(component=self.name))

    # -- spaCy --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - every component overrides it
        raise NotImplementedError

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        self.require()

        def writer(name: str):
            # Not srsly.write_json: it escapes every Chinese character, doubling the size.
            return lambda p: Path(p).write_text(json.dumps(self.lexicons[name], ensure_ascii=False, indent=1), encoding="utf-8")

        util.to_disk(path, {name: writer(name) for name in self.DATA_FILES}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> "LexiconComponent":
        wanted = [name for name in self.DATA_FILES if name not in exclude]
        lexicons = dict(self.lexicons)
        lexicons.update(read_lexicons(path, wanted, self.name))
        self.set_lexicons(lexicons)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        self.require()
        return srsly.msgpack_dumps({k: v for k, v in self.lexicons.items() if k not in exclude})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "LexiconComponent":
        lexicons = dict(self.lexicons)
        lexicons.update({k: v for k, v in srsly.msgpack_loads(data).items() if k not in exclude})
        self.set_lexicons(lexicons)
        return self

"""The public API: :func:`load`, :func:`extract` and :func:`extract_many`."""

from __future__ import annotations

import multiprocessing
import re
from collections import deque
from contextlib import nullcontext
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .text.decoding import decode
from .errors import Errors
from .report import Report, make_entity, raw_sections

PIPELINE_DIR = Path(__file__).parent / "model"
# Longer texts are cut into pieces of at most this many characters, at line
# (or sentence) ends, so memory stays bounded; offsets are put back together.
# Read at call time, so it can be lowered (tests do) without reloading.
# 50 000 characters keep a statistical NER's working memory near 300 MB.
PIECE_CHARS = 50_000
SECTIONS_PIPE = "lawie_sections"
# At most this many entities are kept from one long text (one processed in
# pieces, see PIECE_CHARS; a piece has far fewer). A real report has a few
# thousand (20 MB of report text about 270 000); ten megabytes of junk such as
# text without punctuation has over a million, and at about a kilobyte each with
# their values they would pass a gigabyte. The rest are dropped with a warning
# (EntityLimitWarning). Read at call time, so it can be changed.
MAX_ENTITIES = 500_000


class EntityLimitWarning(UserWarning):
    """A report had more than :data:`MAX_ENTITIES` entities; the later ones were dropped."""


MODEL_ENV = "LAWIE_MODEL"


def default_output() -> Path:
    """Where ``lawie train`` writes without ``--output``: ``$XDG_DATA_HOME/lawie/model``
    (``~/.local/share/lawie/model`` when XDG_DATA_HOME is unset), a per-user folder
    outside any installed package."""
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lawie" / "model"


def resolve_model(path: str | Path | None = None) -> tuple[Path, str]:
    """The pipeline folder to load and how it was selected, in this order:
    ``path`` (``lawie.load(path)``, the CLI's ``--model``) → ``"argument"``;
    the environment variable ``LAWIE_MODEL`` → ``"LAWIE_MODEL"``; the pipeline
    shipped in the package → ``"shipped"``. A model trained with ``lawie train``
    into the per-user folder is used only when selected (``--model`` or LAWIE_MODEL)."""
    import os

    if path is not None and str(path) != "":
        return Path(path), "argument"
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env), MODEL_ENV
    return PIPELINE_DIR, "shipped"


def load(path: str | Path | None = None, **kwargs) -> Language:
    """Load a lawie pipeline: the one at ``path``, else the one named by the environment
    variable ``LAWIE_MODEL``, else the one shipped with the package (see :func:`resolve_model`).

    Keyword arguments go to :func:`spacy.load` (e.g. ``exclude=["ner"]``).
    ``nlp.meta["lawie_source"]`` records the folder and how it was selected.
    """
    target, how = resolve_model(path)
    if not (target / "config.cfg").exists():
        raise OSError(Errors.E003.format(path=target) + (f" (the environment variable {MODEL_ENV} names it)" if how == MODEL_ENV else ""))
    nlp = spacy.load(target, **kwargs)
    nlp.meta["lawie_source"] = {"path": str(target.resolve()), "selected_by": how}
    return nlp


@lru_cache(maxsize=1)
def _default_nlp() -> Language:
    return load()


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return decode(bytes(text))
    raise TypeError(Errors.E001.format(type=type(text).__name__))


# Where a long text may be cut, best first: line ends, sentence ends, clause
# ends, spaces. Entities and headings never cross a line or sentence end.
_CUT_CHARS = ("\n", "。", "!?;!?;", ",,、", " \t\u3000")
# Without any of them (a 2 MB run of junk), cut after a character that cannot be
# inside a number, a Latin word or a title mark.
_CUT_ANY = re.compile(r"[^0-9A-Za-z.,%《》]")


def _piece_size(nlp: Language) -> int:
    """The longest piece ``nlp`` is given: PIECE_CHARS, or less if ``nlp.max_length`` is lower."""
    return max(1, min(PIECE_CHARS, nlp.max_length))


def _cut(text: str, pos: int, size: int) -> int:
    """End of the piece that starts at ``pos``: at most ``size`` characters, at a safe boundary."""
    end = pos + size
    if end >= len(text):
        return len(text)
    floor = pos + size // 2
    for chars in _CUT_CHARS:
        cut = max(text.rfind(c, floor, end) for c in chars)
        if cut != -1:
            return cut + 1
    for cut in range(end, floor, -1):
        if _CUT_ANY.match(text, cut - 1):
            return cut
    return end


def _pieces(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    """``(offset, piece)``: ``text`` cut into pieces of at most ``size`` characters."""
    size = size or PIECE_CHARS
    pos = 0
    while pos < len(text):
        end = _cut(text, pos, size)
        yield pos, text[pos:end]
        pos = end


# The components that read the whole text at once: a long text runs them once,
# after the token-level components have run piece by piece.
WHOLE_TEXT_PIPES = ("lawie_sections", "lawie_values", "lawie_meta")


class _Assembly:
    """One report put together from the docs of a long text's pieces, one doc at a time.

    Only what the report needs is kept from each piece (its entities, clean text
    and the raw start of each clean character), so a text of any length costs a
    few bytes per character however many pieces it has. Sections, values and
    metadata are then read once over the whole clean text.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.clean: list[str] = []
        self.length = 0
        self.starts: list[np.ndarray] = []
        # (clean start, clean end, label, raw start, raw end, clean text) of every entity
        self.spans: list[tuple[int, int, str, int, int, str]] = []
        self.dropped = 0

    def add(self, offset: int, doc: Doc) -> None:
        room = max(0, MAX_ENTITIES - len(self.spans))
        if len(doc.ents) > room:
            self.dropped += len(doc.ents) - room
        self.spans.extend(
            (self.length + e.start_char, self.length + e.end_char, e.label_, e._.raw_start + offset, e._.raw_end + offset, e.text)
            for e in list(doc.ents)[:room]
        )
        text = doc._.alignment.text
        self.clean.append(text)
        self.length += len(text)
        dtype = np.int32 if len(self.raw) < 2**31 else np.int64
        self.starts.append((doc._.raw_offsets[:, 0] + offset).astype(dtype))

    def report(self, nlp: Language) -> Report:
        clean = "".join(self.clean)
        segments: list[tuple[int, int, str]] = []
        if SECTIONS_PIPE in nlp.pipe_names and clean:
            segments = nlp.get_pipe(SECTIONS_PIPE).segment(clean)
        values: list[dict] = [{}] * len(self.spans)
        if "lawie_values" in nlp.pipe_names:
            values = nlp.get_pipe("lawie_values").read(clean, [(s, e, label) for s, e, label, *_ in self.spans])
        meta: dict = {}
        if "lawie_meta" in nlp.pipe_names:
            orgs = [(s, e, text) for s, e, label, _, _, text in self.spans if label == "ORG"]
            meta = nlp.get_pipe("lawie_meta").read_text(clean, segments, orgs)
        entities = [make_entity(rs, re_, label, text, value) for (_, _, label, rs, re_, text), value in zip(self.spans, values)]
        offsets = np.concatenate(self.starts)[:, None] if clean else None
        if self.dropped:
            import warnings

            warnings.warn(Errors.W001.format(kept=len(self.spans), dropped=self.dropped), EntityLimitWarning, stacklevel=3)
        return Report(text=self.raw, entities=entities, sections=raw_sections(self.raw, segments, offsets), meta=meta)


def _piece_doc(nlp: Language, piece: str) -> Doc:
    """``piece`` through the token-level components only (thread-safe: the pipeline is not changed)."""
    doc = nlp.make_doc(piece)
    for name, proc in nlp.pipeline:
        if name not in WHOLE_TEXT_PIPES:
            doc = proc(doc)
    return doc


def extract(text: str | bytes, *, nlp: Language | None = None) -> Report:
    """Extract entities, sections and metadata from one report.

    ``text`` is the raw report (``bytes`` are decoded as UTF-8, UTF-8 with BOM,
    UTF-16 with BOM or GB18030). All offsets in the result point into it. A text
    longer than :data:`PIECE_CHARS` (or ``nlp.max_length``) goes through the
    token-level components in pieces cut at line or sentence ends (memory stays a
    few bytes per character); sections, values and metadata are read once over
    the whole text.
    """
    raw = _as_text(text)
    nlp = nlp or _default_nlp()
    size = _piece_size(nlp)
    if len(raw) <= size:
        return Report.from_doc(nlp(raw))
    assembly = _Assembly(raw)
    for offset, piece in _pieces(raw, size):
        assembly.add(offset, _piece_doc(nlp, piece))
        if on_piece is not None:
            on_piece(offset + len(piece), len(raw))
    return assembly.report(nlp)


# Called as ``on_piece(characters done, characters in the text)`` after each piece of a
# long text that :func:`extract` cuts (in this process); the CLI's progress bar sets it.
on_piece = None


ERROR_MODES = ("raise", "skip")


class ExtractionError(ValueError):
    """An item of :func:`extract_many` could not be extracted.

    ``index`` is its position in the input; ``kind`` and ``message`` describe
    the original error (raised here as this error's ``__cause__`` when it
    happened in this process).
    """

    def __init__(self, index: int, kind: str, message: str) -> None:
        super().__init__(Errors.E011.format(index=index, kind=kind, message=message))
        self.index = index
        self.kind = kind
        self.message = message


class _Failure:
    """Why one item failed: picklable, so it comes back from a worker process."""

    __slots__ = ("kind", "message", "error")

    def __init__(self, error: BaseException) -> None:
        self.kind = type(error).__name__
        self.message = str(error)[:500]
        self.error: BaseException | None = error

    def __getstate__(self) -> tuple[str, str]:
        return self.kind, self.message  # the exception itself may not pickle

    def __setstate__(self, state: tuple[str, str]) -> None:
        self.kind, self.message = state
        self.error = None

    def exception(self, index: int) -> ExtractionError:
        err = ExtractionError(index, self.kind, self.message)
        err.__cause__ = self.error
        return err


def extract_many(
    texts: Iterable[str | bytes],
    *,
    nlp: Language | None = None,
    batch_size: int = 16,
    n_process: int = 1,
    errors: str = "raise",
) -> Iterator[Report]:
    """Extract reports from many texts, streaming, in input order.

    Texts go through the pipeline in batches of at most ``batch_size`` texts and
    :data:`PIECE_CHARS` characters (a statistical NER needs memory in proportion
    to the characters it sees at once); a longer text is extracted on its own,
    in pieces. ``n_process`` > 1 runs the batches in that many worker processes,
    each with its own copy of the pipeline, which send back only the reports (a
    few hundred bytes each, where a serialised Doc is ~100 bytes per character).
    Worker processes exit when the process that started them dies. Texts are
    read lazily, a few batches ahead, and each batch runs inside
    ``nlp.memory_zone()`` (the strings it adds to the vocabulary are freed after
    it; a zone the caller already holds is used instead), so the vocabulary
    does not grow with the number of texts (spaCy's hash tables still grow by a
    few bytes per new string seen: see ``docs/performance.md``).

    ``errors`` says what happens to an item that cannot be extracted (not text,
    bytes that do not decode, or an error inside the pipeline):

    - ``"raise"`` (default): every report of the items before it is yielded
      first, then :class:`ExtractionError` is raised, with the item's position
      in ``index`` (one bad item in a batch does not fail the others);
    - ``"skip"``: the item is left out and the stream goes on (the reports no
      longer line up with the input positions).
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(Errors.E005.format(name="batch_size", expected="a positive int", value=batch_size))
    if not isinstance(n_process, int) or n_process < 1:
        raise ValueError(Errors.E005.format(name="n_process", expected="a positive int", value=n_process))
    if errors not in ERROR_MODES:
        raise ValueError(Errors.E005.format(name="errors", expected=" or ".join(map(repr, ERROR_MODES)), value=errors))
    if isinstance(texts, (str, bytes)):
        raise TypeError(Errors.E005.format(name="texts", expected="an iterable of texts, not one text", value=texts[:20]))
    for index, result in _extract_stream(texts, nlp=nlp, batch_size=batch_size, n_process=n_process):
        if isinstance(result, _Failure):
            if errors == "skip":
                continue
            raise result.exception(index)
        yield result


def _extract_stream(
    texts: Iterable[str | bytes], *, nlp: Language | None, batch_size: int, n_process: int
) -> Iterator[tuple[int, Report | _Failure]]:
    """``(position, report or failure)`` for every item of ``texts``, in order (what the CLI reads)."""
    nlp = nlp or _default_nlp()
    batches = _batches(texts, batch_size, _piece_size(nlp))
    if n_process > 1:
        yield from _extract_parallel(batches, nlp, n_process)
        return
    for batch in batches:
        yield from _extract_batch(batch, nlp)


_Item = tuple[int, "str | _Failure"]


def _batches(texts: Iterable[str | bytes], batch_size: int, max_chars: int) -> Iterator[list[_Item]]:
    """``(position, text)`` pairs (decoded) in batches of at most ``batch_size`` texts and ``max_chars`` characters.

    A text longer than ``max_chars`` is a batch of its own (:func:`extract` cuts it).
    An item that is not text or does not decode travels as a :class:`_Failure`.
    """
    batch: list[_Item] = []
    chars = 0
    for index, text in enumerate(texts):
        try:
            item: str | _Failure = _as_text(text)
        except (TypeError, ValueError) as err:
            item = _Failure(err)
        size = len(item) if isinstance(item, str) else 0
        if batch and (len(batch) >= batch_size or chars + size > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append((index, item))
        chars += size
    if batch:
        yield batch


def _memory_zone(nlp: Language):
    """``nlp.memory_zone()``, or nothing if the caller already holds one (zones must not nest).

    Strings and lexemes that a batch adds to the vocabulary (every new number,
    every new word) are freed when the zone ends, so a stream of any length
    keeps the StringStore flat. Nothing made inside it may be used
    after it: reports hold only Python strings and numbers, never a Doc, a
    Token or a string hash.
    """
    return nullcontext() if nlp.vocab.in_memory_zone else nlp.memory_zone()


def _extract_batch(batch: list[_Item], nlp: Language) -> list[tuple[int, Report | _Failure]]:
    """The reports (or failures) of one batch from :func:`_batches`; one bad text fails only itself.

    The batch runs inside :func:`_memory_zone`: what it adds to the vocabulary is freed at its end.
    """
    with _memory_zone(nlp):
        return _extract_batch_in_zone(batch, nlp)


def _extract_batch_in_zone(batch: list[_Item], nlp: Language) -> list[tuple[int, Report | _Failure]]:
    texts = [(i, t) for i, t in batch if isinstance(t, str)]
    done: dict[int, Report | _Failure] = {i: t for i, t in batch if not isinstance(t, str)}
    try:
        if len(texts) == 1:
            reports = [extract(texts[0][1], nlp=nlp)]
        else:
            reports = [Report.from_doc(doc) for doc in nlp.pipe([t for _, t in texts], batch_size=max(1, len(texts)))]
        done.update((i, report) for (i, _), report in zip(texts, reports))
    except Exception:  # noqa: BLE001 - redo the batch text by text: only the bad text fails
        for i, text in texts:
            try:
                done[i] = extract(text, nlp=nlp)
            except Exception as err:  # noqa: BLE001 - reported with its position
                done[i] = _Failure(err)
    return [(i, done[i]) for i, _ in batch]


_WORKER_NLP: Language | None = None
_WARM_UP = "一、区政府全年审理行政复议案件六十二件,同比增长百分之五,投入50万元,依据《行政复议法》。"
_PARENT_POLL_SECONDS = 1.0


def _init_worker(nlp: Language, parent: int) -> None:
    global _WORKER_NLP
    _WORKER_NLP = nlp
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """Exit this worker as soon as ``parent`` is gone (killed with SIGKILL, say).

    A forked worker would otherwise wait for work forever under init: the other
    workers keep the task pipe open, so it never sees end-of-file.
    """
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_SECONDS)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="lawie-parent-watch", daemon=True).start()


def _extract_in_worker(batch: list[_Item]) -> list[tuple[int, Report | _Failure]]:
    return _extract_batch(batch, _WORKER_NLP)


def _extract_parallel(
    batches: Iterator[list[_Item]], nlp: Language, n_process: int
) -> Iterator[tuple[int, Report | _Failure]]:
    """:func:`_extract_batch` in ``n_process`` processes, in order, two batches per process in flight."""
    import os
    from concurrent.futures.process import BrokenProcessPool

    # Forked workers share the loaded pipeline; elsewhere it is pickled once per worker.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Components load some data on first use (numeral reader, lexicons): do it once
    # here, so forked workers share it instead of each paying for it.
    extract(_WARM_UP, nlp=nlp)
    pending: deque[tuple[list[_Item], Future]] = deque()

    def results(batch: list[_Item], future: Future) -> list[tuple[int, Report | _Failure]]:
        try:
            return future.result()
        except BrokenProcessPool as err:  # a worker died (killed, out of memory): name the batch
            first = batch[0][0]
            raise ExtractionError(first, type(err).__name__, f"a worker process died on items {first}–{batch[-1][0]}") from err

    with ProcessPoolExecutor(
        n_process, mp_context=context, initializer=_init_worker, initargs=(nlp, os.getpid())
    ) as pool:
        try:
            for batch in batches:
                pending.append((batch, pool.submit(_extract_in_worker, batch)))
                if len(pending) >= 2 * n_process:
                    yield from results(*pending.popleft())
            while pending:
                yield from results(*pending.popleft())
        finally:
            for _, future in pending:
                future.cancel()


__all__ = [
    "load",
    "resolve_model",
    "default_output",
    "MODEL_ENV",
    "extract",
    "extract_many",
    "ExtractionError",
    "EntityLimitWarning",
    "MAX_ENTITIES",
    "ERROR_MODES",
    "PIPELINE_DIR",
]

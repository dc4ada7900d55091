"""Assemble lawie's pipeline from its registered components.

``python -m lawie.pipeline.assemble DIR`` adds to a saved pipeline any rule component
it lacks and reloads the lexicons from ``lawie/data`` (keeping trained data);
``lawie train`` builds a pipeline anew.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.language import Language

from . import corrections, entity_rules, meta, ner, orgs, sections, tokenizer, values  # noqa: F401  (register factories)
from .base import DATA_DIR, LexiconComponent, read_lexicons

TOKENIZER = {"@tokenizers": "lawie.Tokenizer.v1"}
# The order of the pipeline. "ner" is the trained statistical recogniser; it
# runs after the rules, which it respects, and before the components that read
# entities. Components not registered in this installation are skipped.
ORDER = (
    "lawie_entity_rules",
    "lawie_orgs",
    "ner",
    "lawie_entities",
    "lawie_corrections",
    "lawie_sections",
    "lawie_values",
    "lawie_meta",
)


# Components that only make sense with the statistical NER before them.
AFTER_NER = ("ner",)


def _available(name: str) -> bool:
    return name == "ner" or name in spacy.registry.factories


def blank_pipeline(*, with_ner: bool = False) -> Language:
    """A Chinese pipeline with lawie's tokenizer and components, not yet trained."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    for name in ORDER:
        if name in AFTER_NER and not with_ner:
            continue
        if _available(name):
            nlp.add_pipe(name)
    return nlp


def add_missing(nlp: Language) -> list[str]:
    """Add the rule components of :data:`ORDER` that ``nlp`` lacks, in order; return their names."""
    added = []
    for i, name in enumerate(ORDER):
        if name in AFTER_NER and "ner" not in nlp.pipe_names or name == "ner":
            continue
        if name in nlp.pipe_names or not _available(name):
            continue
        later = [n for n in ORDER[i + 1 :] if n in nlp.pipe_names]
        nlp.add_pipe(name, before=later[0]) if later else nlp.add_pipe(name)
        added.append(name)
    return added


def refresh_rules(nlp: Language) -> list[str]:
    """Reload every lexicon from lawie/data into ``nlp``'s components (trained data is kept); return their names."""
    refreshed = []
    for name, pipe in nlp.pipeline:
        if isinstance(pipe, LexiconComponent):
            files = [f for f in pipe.DATA_FILES if f not in pipe.TRAINED_FILES]
            pipe.set_lexicons({**pipe.lexicons, **read_lexicons(DATA_DIR, files, name)})
            refreshed.append(name)
    return refreshed


def main() -> None:
    """``python -m lawie.pipeline.assemble DIR``: after editing lawie/data, refresh the lexicons of the
    pipeline saved at DIR (and add components it lacks) without retraining."""
    from ..api import load
    from ..train.training import save_pipeline

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("pipeline", help="a saved lawie pipeline (e.g. lawie/model in a clone)")
    args = parser.parse_args()
    nlp = load(args.pipeline)
    print("added:", add_missing(nlp) or "nothing")
    print("refreshed:", refresh_rules(nlp) or "nothing")
    save_pipeline(nlp, Path(args.pipeline))
    print("pipeline:", nlp.pipe_names, "->", args.pipeline)


if __name__ == "__main__":
    main()

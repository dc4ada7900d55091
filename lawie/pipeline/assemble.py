"""Assemble lawie's pipeline from its registered components.

``python -m lawie.pipeline.assemble --update`` adds to the shipped pipeline any rule
component it lacks and reloads the rule components' data from ``lawie/data``
(keeping the trained ones); ``lawie train`` builds it anew.
"""

from __future__ import annotations

import argparse

import spacy
from spacy.language import Language

from . import corrections, entity_rules, meta, orgs, sections, tokenizer, values  # noqa: F401  (register factories)

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
    """Reload every rule component's data from the package defaults (lawie/data/); return their names."""
    refreshed = []
    for name, pipe in nlp.pipeline:
        if name.startswith("lawie_") and hasattr(pipe, "initialize"):
            pipe.initialize(lambda: [], nlp=nlp)
            refreshed.append(name)
    return refreshed


def main() -> None:
    from ..api import PIPELINE_DIR, load

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--update",
        action="store_true",
        help="add missing rule components to the shipped pipeline and reload their data from lawie/data",
    )
    args = parser.parse_args()
    if args.update and (PIPELINE_DIR / "config.cfg").exists():
        nlp = load()
        print("added:", add_missing(nlp) or "nothing")
        print("refreshed:", refresh_rules(nlp) or "nothing")
    else:
        nlp = blank_pipeline()
        nlp.initialize()
    nlp.to_disk(PIPELINE_DIR)
    print("pipeline:", nlp.pipe_names, "->", PIPELINE_DIR)


if __name__ == "__main__":
    main()

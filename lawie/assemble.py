"""Assemble lawie's pipeline from its registered components."""

from __future__ import annotations

import spacy
from spacy.language import Language

from . import entity_rules, sections, tokenizer  # noqa: F401  (register factories)

TOKENIZER = {"@tokenizers": "lawie.Tokenizer.v1"}


def blank_pipeline() -> Language:
    """A Chinese pipeline with lawie's tokenizer and rule components, not yet trained."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    nlp.add_pipe("lawie_entity_rules")
    nlp.add_pipe("lawie_sections")
    return nlp

"""lawie: structured data from Chinese rule-of-law government annual reports.

>>> import lawie
>>> report = lawie.extract(open("report.txt", encoding="utf-8").read())
>>> report.to_dict()["entities"][0]
"""

from .pipeline import extensions  # noqa: F401  (declares Doc._/Span._ attributes)
from .about import __version__
from .api import ExtractionError, extract, extract_many, load
from .pipeline.entity_rules import EntityRules
from .text.cleaning import Alignment, clean_text
from .outputs.render import displacy_options
from .report import Entity, Report, Section
from .outputs.indicators import to_dataset
from .pipeline.meta import MetaReader
from .pipeline.values import ValueReader
from .labels import ENTITY_LABELS, SECTION_LABELS
from .pipeline.sections import SectionTagger


__all__ = [
    "__version__",
    "load",
    "extract",
    "extract_many",
    "clean_text",
    "Alignment",
    "ExtractionError",
    "Report",
    "Entity",
    "Section",
    "EntityRules",
    "SectionTagger",
    "ENTITY_LABELS",
    "SECTION_LABELS",
    "displacy_options",
    "to_dataset",
    "ValueReader",
    "MetaReader",
]

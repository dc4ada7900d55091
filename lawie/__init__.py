"""lawie: structured data from Chinese rule-of-law government annual reports.

>>> import lawie
>>> report = lawie.extract(open("report.txt", encoding="utf-8").read())
>>> report.to_dict()["entities"][0]
"""

from . import extensions  # noqa: F401  (declares Doc._/Span._ attributes)
from .about import __version__
from .api import ExtractionError, extract, extract_many, load
from .entity_rules import EntityRules
from .normalize import Normalized, normalize
from .render import displacy_options
from .report import Entity, Report, Section
from .indicators import to_dataset
from .meta import MetaReader
from .values import ValueReader
from .sections import SECTION_LABELS, SectionTagger

ENTITY_LABELS = ("LAW", "ORG", "COUNT", "RATE", "MONEY")

__all__ = [
    "__version__",
    "load",
    "extract",
    "extract_many",
    "ExtractionError",
    "normalize",
    "Normalized",
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

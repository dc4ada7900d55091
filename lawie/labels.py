"""Every label lawie knows, with its colour and description: the one place for them (``docs/LABELS.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: Entity labels, in the order of the contract.
ENTITY_LABELS = ("LAW", "ORG", "COUNT", "RATE", "MONEY")
#: Section types, in document order.
SECTION_LABELS = ("HEADER", "OVERVIEW", "MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS", "CLOSING")
#: Labels found by rules (``lawie_entity_rules``); the statistical NER predicts only ``NER_LABELS``.
RULE_LABELS = ("LAW", "COUNT", "RATE", "MONEY")
NER_LABELS = ("ORG",)
#: Labels whose spans carry a figure (indicator rows).
INDICATOR_LABELS = ("COUNT", "RATE", "MONEY")
#: Top-level section types that follow a numbered heading.
NUMBERED_SECTIONS = ("MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS")

ENTITY_COLORS: Mapping[str, str] = MappingProxyType(
    {"LAW": "#ffd27f", "ORG": "#9fd3f0", "COUNT": "#b5e3a1", "RATE": "#f7b5c4", "MONEY": "#d4bff2"}
)
SECTION_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "HEADER": "#8c8c8c",
        "OVERVIEW": "#3f7fbf",
        "MEASURES": "#2e9461",
        "LEADERSHIP": "#c7792a",
        "PROBLEMS": "#c2473f",
        "PLANS": "#7a58b0",
        "CLOSING": "#5f7380",
    }
)
ENTITY_DESCRIPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "LAW": "cited law, regulation or official document",
        "ORG": "organisation or body",
        "COUNT": "counted quantity",
        "RATE": "percentage, points or fraction",
        "MONEY": "amount of money",
    }
)
SECTION_DESCRIPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "HEADER": "title, issuer, page metadata",
        "OVERVIEW": "addressee and opening",
        "MEASURES": "measures and results",
        "LEADERSHIP": "leaders' first-responsibility duty",
        "PROBLEMS": "problems and shortcomings",
        "PLANS": "next year's plans",
        "CLOSING": "signature, date, page furniture",
    }
)

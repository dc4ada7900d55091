"""lawie: structured data from Chinese rule-of-law government annual reports.

>>> import lawie
>>> report = lawie.extract(open("report.txt", encoding="utf-8").read())
>>> report.to_dict()["entities"][0]
"""

from .about import __version__

# The names below are imported on first use (PEP 562), so that ``import lawie``
# and the command line's ``--help`` and ``--version`` do not import spaCy.
_LAZY = {
    "load": "api",
    "extract": "api",
    "extract_many": "api",
    "ExtractionError": "api",
    "clean_text": "text.cleaning",
    "Alignment": "text.cleaning",
    "Report": "report",
    "Entity": "report",
    "Section": "report",
    "EntityRules": "pipeline.entity_rules",
    "SectionTagger": "pipeline.sections",
    "ENTITY_LABELS": "labels",
    "SECTION_LABELS": "labels",
    "displacy_options": "outputs.render",
    "to_dataset": "outputs.indicators",
    "ValueReader": "pipeline.values",
    "MetaReader": "pipeline.meta",
}


# Submodules that ``import lawie`` used to import, reachable as ``lawie.api`` etc. as before.
_SUBMODULES = ("api", "report", "labels", "errors", "pipeline", "text", "outputs")


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None and name not in _SUBMODULES:
        raise AttributeError(f"module 'lawie' has no attribute {name!r}")
    from importlib import import_module

    import_module(".pipeline.extensions", __name__)  # declares Doc._/Span._ attributes
    if module is None:
        return import_module("." + name, __name__)  # the import sets it on the package
    value = getattr(import_module("." + module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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

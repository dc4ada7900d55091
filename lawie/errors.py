"""The catalogue of lawie's error messages.

Every message has a code, says what was wrong and what to do instead, and is
raised as a built-in exception type (``TypeError``, ``ValueError``, ``OSError``)
so callers can catch it without importing lawie's own classes.
"""


class Errors:
    E001 = (
        "[E001] lawie expects text as `str` or `bytes`, but got {type}. "
        "Pass the report's text, e.g. `lawie.extract(path.read_text())`, or its raw bytes."
    )
    E002 = (
        "[E002] Could not decode {source} as any of {encodings}. "
        "Convert it to UTF-8 first, or decode it yourself and pass a `str`."
    )
    E003 = (
        "[E003] No lawie pipeline at {path}. Pass a directory written by "
        "`nlp.to_disk()` or `lawie train --output DIR`, or call `lawie.load()` "
        "without a path for the pipeline shipped with the package."
    )
    E004 = (
        "[E004] The pipeline has no component {name!r}, which lawie needs. "
        "Load it with `lawie.load()` or add it with `nlp.add_pipe({name!r})`."
    )
    E005 = "[E005] `{name}` must be {expected}, but got {value!r}."
    E006 = (
        "[E006] Unknown format {value!r}. Choose one of: {choices}."
    )
    E007 = (
        "[E007] No such file or directory: {path}. Give paths to .txt files, "
        "folders (searched recursively for *.txt) or `-` for standard input."
    )
    E008 = (
        "[E008] Annotation record {id!r} is invalid: {problem}. "
        "See annotations/README.md for the format and docs/LABELS.md for the labelling contract."
    )
    E009 = "[E009] Unknown label {label!r}; the labels are: {labels} (docs/LABELS.md)."
    E010 = (
        "[E010] The tokenizer of this pipeline is not lawie's: the Doc has no "
        "raw-text alignment. Load pipelines with `lawie.load()`."
    )
    E011 = (
        "[E011] Item {index} of the input could not be extracted ({kind}: {message}). "
        "The reports of the items before it were returned; pass `errors=\"skip\"` to "
        "`lawie.extract_many` to leave bad items out and go on."
    )
    E012 = "[E012] The output {path} is a folder. Give a file name for `-o`."
    E013 = (
        "[E013] The output {path} is one of the inputs; writing it would destroy the input. "
        "Give another file name for `-o`."
    )
    E014 = (
        "[E014] --n-process must be between 1 and the number of CPUs ({cpus}), but got {value}. "
        "More processes than CPUs only add memory."
    )
    E015 = "[E015] {path}, line {line}: not JSON ({problem}). Each line of a JSONL file is one JSON record."
    E016 = (
        "[E016] Two records in {source} have the id {id!r}. Give each document its own id "
        "(nothing was written)."
    )
    E017 = "[E017] Record {number} is not a {fmt} record ({problem}); nothing was written."
    E018 = (
        "[E018] {component}: no {path}. A saved lawie pipeline holds every file its "
        "components wrote; save it again with `nlp.to_disk(DIR)` or retrain with `lawie train`."
    )
    E019 = "[E019] {component}: the lexicons lack {files}. Give every file the component reads (see lawie/data)."
    E020 = (
        "[E020] {component} has no lexicons yet. Call `nlp.initialize()` after adding it to a "
        "pipeline, or load a saved lawie pipeline with `lawie.load()`."
    )
    W001 = (
        "[W001] The text has more entities than lawie keeps for one report: the first "
        "{kept} are kept and {dropped} later ones dropped (lawie.api.MAX_ENTITIES). "
        "Split the text into its reports, or raise the limit if you have the memory."
    )
    E060 = (
        "[E060] Got {reports} reports but {titles} titles. Give one title per "
        "report, or none (the reports' own titles are used)."
    )
    E081 = (
        "[E081] The ORG lexicon {file} has no {key!r} entry. Give the component data "
        "in the format of lawie/data/{file} (see docs/organisations.md)."
    )
    E082 = (
        "[E082] No ORG lexicon at {path}. Pass a directory holding places.json and "
        "org_bodies.json (as written by `nlp.get_pipe('lawie_orgs').to_disk(DIR)`), "
        "or leave it out to use the package's lexicons."
    )
    E070 = (
        "[E070] lawie.outputs.spark needs {missing}, which is not installed. Install the "
        "Spark extra: `pip install 'lawie[spark]'` (pyspark with pandas and pyarrow)."
    )
    E071 = (
        "[E071] The text of this row is null. Filter null texts out before "
        "extraction, or keep the row: only its `error` field is set."
    )
    E040 = (
        "[E040] Unknown dataset kind {kind!r}. Choose one of: {kinds} "
        "(`lawie.to_dataset(reports, kind=\"indicators\")`)."
    )
    E041 = (
        "[E041] lawie.to_dataset expects lawie.Report objects (from `lawie.extract` or "
        "`lawie.extract_many`), but got {type}."
    )
    E042 = (
        "[E042] `names` has {names} entries but there are more reports. Give one name "
        "per report, or leave `names` out to number the reports."
    )

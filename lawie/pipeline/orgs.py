"""Organisation names (ORG) composed by grammar: place + level word + body + sub-unit.

Chinese institution names are compositional: ``北京市`` + ``大兴区`` + ``人民政府``,
``济南新旧动能转换起步区`` + ``管委会``, ``区`` + ``委`` + ``常委会``, ``司法局`` + ``党组``.
This component finds them from two lexicons that live in ``lawie/data``:

- ``places.json``: China's provinces, cities, counties, townships and zones with
  their short forms (built from jionlp's administrative divisions by
  ``training/build_places.py``);
- ``org_bodies.json``: level words, body words (bound ones such as ``政府`` and
  ``委`` that need a place or level word, free ones such as ``人大``, ``司法局``),
  sub-units, central bodies, media, and the words that end or veto a name.

Boundaries follow ``docs/LABELS.md``: meeting and role words stay outside
(``区政府`` in ``区政府常务会``, ``省委`` in ``省委书记``), lists are split
(``市委市政府``), generic nouns, bare level words, bare ``政府``, places used as
places and websites are not ORG, and nothing inside ``《》`` or overlapping an
existing entity is labelled. Where a name's start is unknown (``徐圩新区管委会``
with ``徐圩`` in no lexicon) the component labels nothing and leaves the span to
the statistical NER that runs after it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..text.lexicon import alternation
from .base import LexiconComponent
from .extensions import CANDIDATES_KEY, CONTEXTS_KEY, ISSUERS_KEY, PROPOSAL_B, PROPOSAL_I, RULES_KEY, doc_text
from ..text.charmask import CharMask, merge_ranges
from ..text.fields import field_values
from ..errors import Errors

PLACES_FILE = "places.json"
BODIES_FILE = "org_bodies.json"
LABEL = "ORG"

_CJK = re.compile(r"[\u3400-\u9fff]")
_LEVEL_CHARS = "省市县区旗盟州镇乡"
_GROUP_NAME_MAX = 24  # characters a named group's name may run back from its head
_NAME_MAX = 40  # characters a name may have before its last body word
# Marks no name runs across: a name lawie keeps starts after the last of them.
_CLAUSE_MARK = re.compile("[。;!?\n,:、]")
# A line that opens with a name and goes on with the report's title (…关于2024年…, …2021年…, …年度…).
_TITLE_OPENER = re.compile(r"(?m)^[ \t]*(?P<name>[\u4e00-\u9fff()]{3,40}?)(?=关于|[0-9]{4}年|年度|[ \t]+关于)")
_TERM = re.compile(r"第?[一二三四五六七八九十]{1,3}届$")  # 第十三届全国人民代表大会常务委员会: the term is part of the name
# Characters that never stand inside a name: a zone's unknown name stops at them.
_FUNCTION_CHARS = set("的在和与及对把将是了为从向由等并或被、")
# Bodies that are names also standing alone, wherever they stand (人大, 政协 …);
# the other free groups are often the tail of a longer name and stand alone only
# after punctuation or a word that ends a phrase.
_STANDALONE_GROUPS = ("party", "government", "congress", "judicial")
_PLACE_KINDS = ("province", "city", "county")


def _name_word(word: str) -> str:
    """``word`` as a pattern: ``{L}`` stands for a level character, and a word never runs into a longer one."""
    part = re.escape(word).replace(r"\{L\}", f"[{_LEVEL_CHARS}]")
    if word.endswith("会"):
        part += "(?!议)"  # 区委常委会议: the meeting of 区委, not 区委常委会 + 议
    elif word.endswith("报"):
        part += "(?![告道送批请备到])"  # 向人民法院报告: 人民法院, not the newspaper 人民法院报
    return part


def _alternation(words: Iterable[str]) -> str:
    return alternation(words, _name_word)


def _words(group: Any) -> list[str]:
    """The words of a lexicon entry: a list, or a dict of lists (keys starting with ``_`` are notes)."""
    if isinstance(group, dict):
        return [w for k, v in group.items() if not k.startswith("_") for w in _words(v)]
    if isinstance(group, str):
        return [group]
    return list(group)


def place_entries(places: dict[str, Any], kind: str) -> list[list[str]]:
    """The ``[full name, short forms…]`` entries of one level of ``places.json``.

    Cities are grouped by province and counties by city there; either a list or
    such a grouping is accepted.
    """
    entries = places.get(kind, [])
    if isinstance(entries, dict):
        return [e for group in entries.values() for e in group]
    return list(entries)


class OrgRules(LexiconComponent):
    """Propose ORG names by grammar (lexicons: ``lawie/data/places.json``, ``org_bodies.json``)."""

    DATA_FILES = (PLACES_FILE, BODIES_FILE)

    def __init__(self, nlp: Language | None, name: str = "lawie_orgs") -> None:
        super().__init__(nlp, name)

    @property
    def places(self) -> dict[str, Any]:
        return self.lexicons[PLACES_FILE]

    @property
    def bodies(self) -> dict[str, Any]:
        return self.lexicons[BODIES_FILE]

    def compile(self) -> None:
        for key, expected in ((PLACES_FILE, "province"), (BODIES_FILE, "free_bodies")):
            if not isinstance(self.lexicons[key], dict) or expected not in self.lexicons[key]:
                raise ValueError(Errors.E081.format(file=key, key=expected))
        b = self.bodies
        # Places: full names (大兴区) and short forms (大兴). A short form is used
        # only where something else marks the name: another place or a zone word
        # after it (连云港徐圩新区, 阳新经济开发区), or a body (上海市场监管局).
        full: set[str] = set()
        short: set[str] = set()
        for kind in _PLACE_KINDS:
            for entry in place_entries(self.places, kind):
                full.add(entry[0])
                short.update(entry[1:])
                # 黔东南苗族侗族自治州 is written 黔东南州; 长阳土家族自治县, 长阳县.
                for autonomous, level in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
                    if entry[0].endswith(autonomous):
                        full.update(f"{name}{level}" for name in entry[1:])
        for level, names in self.places.get("town", {}).items():
            full.update(n + level for n in (names.split("|") if isinstance(names, str) else names) if n)
        full.update(self.places.get("zone", []))
        self._full = frozenset(full)
        self._short = frozenset(short - full)
        self._max_place = max(map(len, full | short), default=0)

        levels = b["levels"]
        self._zone_levels = frozenset(levels["zone"])
        level_words = [w for k, v in levels.items() if not k.startswith("_") for w in v]
        bound = _words(b["bound_bodies"])
        bound += ["党" + w for w in b["bound_bodies"]["party"] if w.startswith("委") and len(w) > 1]  # 自治区党委外办
        free = b["free_bodies"]
        standalone = [w for g in _STANDALONE_GROUPS for w in free.get(g, [])]
        self._tail_prone = frozenset(w for k, v in free.items() if k not in _STANDALONE_GROUPS and not k.startswith("_") for w in v) - set(standalone)
        central = _words(b["central"]) + _words(b["media"])
        sub = _alternation(b["sub_units"])
        self._core = re.compile(
            rf"(?:(?P<central>{_alternation(central)})"
            rf"|(?P<level>{_alternation(level_words)})(?P<alias>\([^()\n]{{2,12}}[区县市]\))?"
            rf"(?P<body>{_alternation(bound + _words(free))})"
            rf"|(?P<free>{_alternation(_words(free))}))"
            rf"(?:{sub})*"
        )
        self._heads = re.compile(rf"(?:{_alternation(b['named_group_heads'])})(?:{sub})*")
        self._alias = re.compile(rf"\([\u4e00-\u9fff]{{2,10}}(?:{_alternation(b['alias_heads'])})\)")
        self._vetoes = tuple(sorted(_words(b["not_continued_by"]), key=len, reverse=True))
        self._word_endings = {k: frozenset(v) for k, v in b.get("word_endings", {}).items() if not k.startswith("_")}
        self._determiners = tuple(sorted(b["determiners"], key=len, reverse=True))
        self._compounds = tuple(b["category_compounds"])
        self._blockers = {k: v for k, v in b["level_blockers"].items() if not k.startswith("_")}
        self._left_ok = frozenset(_words(b["left_context_words"]))
        self._verbs = tuple(w for w in self._left_ok if len(w) > 1)
        # Verbs that end a phrase also end the name before a group's name starts,
        # except those that open the names of groups themselves (全面依法治区…, 优化营商环境…).
        opening = set(_words(b["group_name_openers"]))
        stops = _words(b["name_stops"]) + [w for w in self._left_ok if len(w) > 1 and w not in opening]
        self._stops = re.compile(_alternation(stops) + r"|[^\u4e00-\u9fff“”]")
        self._generic = frozenset(b["generic_nouns"])
        self._sections = frozenset(free.get("sections", []))
        self._named_institutions = frozenset(_words(b.get("named_institution_heads", [])))
        self._needs_place = frozenset(_words(b.get("bodies_needing_a_place", [])))
        self._prefixes = tuple(b["party_prefixes"])
        heads = bound + _words(free) + central + _words(b["named_group_heads"]) + _words(b["sub_units"])
        heads += _words(b.get("name_heads", []))
        self._name_shape = re.compile(rf"[\u4e00-\u9fff()]{{1,{_NAME_MAX}}}(?:{_alternation(heads)})")
        self._place_name = re.compile(rf"[\u4e00-\u9fff]{{2,{_NAME_MAX}}}(?:{_alternation(level_words)})")  # 鲍沟镇, 河东区汤头街道
        self._head = re.compile(_alternation(heads))
        # "(?!)" never matches: a pipeline saved before this list had none.
        self._not_name_end = re.compile(alternation(_words(b.get("not_name_ends", []))) or "(?!)")

    def is_name(self, text: str) -> bool:
        """Whether ``text`` has the shape of an institution's name: Chinese, ending in a body word,
        not a generic noun and not opened by a determiner or a function word."""
        self.require()
        return (
            bool(self._name_shape.fullmatch(text) or self._core.fullmatch(text))
            and text not in self._generic
            and not text.startswith(self._determiners)
            and text[0] not in _FUNCTION_CHARS
        )

    def contexts(
        self, text: str, names: Iterable[tuple[int, int]] = (), taken: Sequence[tuple[int, int]] = ()
    ) -> list[tuple[int, int]]:
        """The stretches of ``text`` where a name lawie keeps can stand, as ``(start, end)``, merged:
        each ``names`` span, and each clause up to a body word (at most ``_NAME_MAX`` characters
        before it) that no word of ``not_name_ends`` (行政, 部署 …) runs through. A name the NER
        finds elsewhere has no body word at its end, and ``lawie_entities`` would drop it, as it
        drops one overlapping a ``taken`` span (the rule entities): the stretches do not cross them."""
        self.require()
        starts = sorted([m.end() for m in _CLAUSE_MARK.finditer(text)] + [e for _, e in taken])
        skip = CharMask(len(text), taken)
        for m in self._not_name_end.finditer(text):
            skip.add(*m.span())
        spans = list(names)
        for m in self._head.finditer(text):
            if skip.overlaps(m.end() - 1, m.end()):
                continue
            i = bisect_right(starts, m.start())
            spans.append((max(starts[i - 1] if i else 0, m.start() - _NAME_MAX), m.end()))
        return merge_ranges(spans)

    def issuer_names(self, text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """The bodies the page names as its issuer or source, none overlapping ``taken``: in its
        issuer and source fields (``发布机构: 鲍沟镇``, ``来源:海南省人民政府网`` → ``海南省人民政府``:
        a name or a place, not ``本网`` or a date), and at the start of a line that goes on with
        its title (``重庆市荣昌区教育委员会关于2024年…``, ``高新区综治局2021年…``: a name that
        opens with a place)."""
        self.require()
        blocked = CharMask(len(text), taken)
        found = []
        for start, end in field_values(text):
            if text[end - 1] == "网":  # the site of the body named
                end -= 1
            name = text[start:end]
            if (self.is_name(name) or self._place_name.fullmatch(name)) and not blocked.overlaps(start, end):
                found.append((start, end))
        for m in _TITLE_OPENER.finditer(text):
            start, end = m.span("name")
            name = m["name"]
            if self.is_name(name) and self._place_opens(name) and not blocked.overlaps(start, end):
                found.append((start, end))
        return sorted(found)

    def _place_opens(self, name: str) -> bool:
        return any(name[:n] in self._full for n in range(2, min(len(name), self._max_place) + 1))

    # -- matching -----------------------------------------------------------
    def find(self, text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """ORG spans ``(start, end)`` in ``text``, none overlapping ``taken`` or each other."""
        self.require()
        blocked = CharMask(len(text), taken)
        for m in re.finditer(r"《[^《》\n]*》", text):
            blocked.add(*m.span())
        found: list[tuple[int, int]] = []
        ends: set[int] = set()
        for m in self._core.finditer(text):
            span = self._resolve(text, m, ends)
            if span and not blocked.overlaps(*span):
                found.append(span)
                ends.add(span[1])
        core_taken = CharMask(len(text), found)
        for m in self._heads.finditer(text):
            if core_taken.overlaps(*m.span()):
                continue
            span = self._named_group(text, m.start(), m.end(), ends)
            if span and not blocked.overlaps(*span):
                found = [f for f in found if not (span[0] <= f[0] and f[1] <= span[1])] + [span]
        return sorted(found)

    def _resolve(self, text: str, m: re.Match, ends: set[int]) -> tuple[int, int] | None:
        s, e = m.span()
        if m.group("central"):
            start = s
        elif m.group("level"):
            start = self._place_start(text, s, s + len(m.group("level")), m.group("level"), ends)
            if start is None or (start == s and m.group("body") in self._needs_place):
                return None
        else:
            body = m.group("free")
            place = self._place_ending(text, s, 2, short=True)
            named = self._zone_start(text, s) if body in self._named_institutions else None
            if body in self._sections and s and text[s - 1] in "局厅":
                start = s - 1  # 局政策法规科: the bureau's own section
            elif named is not None and named < s - place:
                start = self._party_prefix(text, named)  # 江门市 + 五邑 + 公证处
            elif place and not (place == 2 and text[s - 2] in _FUNCTION_CHARS) and text[s - place : s] not in self._left_ok:
                start = self._chain(text, s - place)  # 上海 + 市场监管局
            elif not self._left_clean(text, s, ends, strict=body in self._tail_prone):
                return None
            else:
                start = s
        term = _TERM.search(text, max(0, start - 5), start)
        if term:  # 河南省 + 第十四届 + 人民代表大会常务委员会, 市 + 六届 + 人大常委会
            start = self._chain(text, term.start())
            if start == term.start() and start and text[start - 1] in _LEVEL_CHARS:
                start -= 1
        if self._vetoed(text, e):
            return None
        alias = self._alias.match(text, e)
        if alias:
            e = alias.end()
        if text[start:e] in self._generic:
            return None
        return start, e

    def _named_group(self, text: str, hs: int, he: int, ends: set[int]) -> tuple[int, int] | None:
        """A named group or committee (法治政府建设领导小组): its name runs back to a stop word."""
        window_start = max(0, hs - _GROUP_NAME_MAX)
        start = window_start if window_start == 0 else None
        for stop in self._stops.finditer(text, window_start, hs):
            start = stop.end()
        if start is None:
            return None
        if start and text[start - 1] in _FUNCTION_CHARS:
            # 的和龙市…, 犍为县…: the character is part of a place name, no conjunction here
            start = next((p for p in range(max(0, start - 3), start) if self._full_place_at(text, p, start)), start)
        if text.startswith("“", start) and "”" not in text[start:hs]:
            start += 1  # “法治开发区建设工作领导小组”: the quotes stay outside
        name = text[start:hs]
        if len(name.replace("工作", "").replace("“", "").replace("”", "")) < 2 or name.count("“") != name.count("”"):
            return None
        # A determiner right before the name makes it a category (各级领导小组).
        if any(text.endswith(d, 0, start) for d in self._determiners) and start not in ends:
            return None
        if self._vetoed(text, he) or text[start:he] in self._generic:
            return None
        # An organisation right before the name owns the group (县委法治建设领导小组).
        return start, he

    def _place_start(self, text: str, ls: int, le: int, level: str, ends: set[int]) -> int | None:
        """Where the name whose level word is ``text[ls:le]`` starts, or None if it is no name."""
        place = self._place_ending(text, le, len(level) + 1, short=True)
        if place and (place == 2 and text[le - 2] in _FUNCTION_CHARS or text[le - place : ls] in self._left_ok):
            place = 0  # 监督和县政协, 联合镇党委: the conjunction 和 and the verb 联合, not 和县 or 联合镇
        if place:
            start = le - place
        elif level in self._zone_levels:
            start = self._zone_start(text, ls)
            if start is None:
                if not self._left_clean(text, ls, ends, strict=True, allow_level=True):
                    return None
                start = ls - 1 if ls and text[ls - 1] in _LEVEL_CHARS else ls
                return self._party_prefix(text, start)
        else:
            # A bare level word: 区政府, 市委. After a place that ends in the same word, that place's
            # own body (浚县 + 县委, 元谋县 + 县卫生健康局); not the end of a common noun (社区,
            # 城乡), not a category (乡镇政府, 各区政府).
            own = self._place_ending(text, ls, 2, short=False)
            if own and text.endswith(level, 0, ls):
                return self._chain(text, ls - own)
            if ls and text[ls - 1] in self._blockers.get(level, ""):
                return None
            if any(text.endswith(c, 0, le) for c in self._compounds):
                return None
            if any(text.endswith(d, 0, ls) for d in self._determiners) or _after_count(text, ls):
                return None
            return self._party_prefix(text, ls)
        return self._chain(text, start)

    def _chain(self, text: str, start: int) -> int:
        """Extend a name's start over the places before it (北京市 + 大兴区) and 中共."""
        while True:
            place = self._place_ending(text, start, 2, short=True)
            if not place or (place == 2 and text[start - 2] in _FUNCTION_CHARS) or text[start - place : start] in self._left_ok:
                break
            start -= place
        return self._party_prefix(text, start)

    def _zone_start(self, text: str, ls: int) -> int | None:
        """A zone with a name we do not know, after a place we know: 济南 + 新旧动能转换 + 起步区.

        The farthest known place (or 国家) within ten name characters wins, so a
        short place name inside the zone's own name (合作 in 区域合作) does not cut it.
        """
        best = None
        for k in range(0, 11):
            j = ls - k
            if j <= 0:
                break
            if k:
                if not _CJK.match(text[j]):
                    break
                if text[j] in _FUNCTION_CHARS or any(text.startswith(w, j) for w in self._verbs):
                    break
            place = self._place_ending(text, j, 2, short=True)
            if place and not self._inside_word(text, j - place):
                best = j - place
            elif text.endswith("国家", 0, j):
                best = j - 2
        return best

    def _place_ending(self, text: str, end: int, min_len: int, *, short: bool) -> int:
        """Length of the longest place name ending at ``end`` (0 if none)."""
        for n in range(min(self._max_place, end), min_len - 1, -1):
            piece = text[end - n : end]
            if piece in self._full or (short and piece in self._short):
                return n
        return 0

    def _full_place_at(self, text: str, start: int, beyond: int) -> bool:
        """Does a full place name of three or more characters start at ``start`` and run past ``beyond``?"""
        return any(text[start : start + n] in self._full for n in range(max(3, beyond - start + 1), self._max_place + 1))

    def _inside_word(self, text: str, p: int) -> bool:
        """Does one of the phrase-ending verbs (配合, 联合) run across position ``p``?"""
        return any(text.startswith(w, p - o) for w in self._verbs for o in range(1, len(w)) if p - o >= 0)

    def _party_prefix(self, text: str, start: int) -> int:
        for prefix in self._prefixes:
            if text.endswith(prefix, 0, start):
                return start - len(prefix)
        return start

    def _left_clean(self, text: str, s: int, ends: set[int], *, strict: bool, allow_level: bool = False) -> bool:
        """May a name start at ``s``? Not after a determiner or a count; if ``strict``, only after
        punctuation, the start of the text, another name, or a word that ends a phrase."""
        if s == 0 or s in ends:
            return True
        if any(text.endswith(d, 0, s) for d in self._determiners):
            return False
        if _after_count(text, s):
            return False
        before = text[s - 1]
        if not strict or not _CJK.match(before):
            return True
        if allow_level and before in _LEVEL_CHARS:
            return s < 2 or not _CJK.match(text[s - 2]) or self._left_clean(text, s - 1, ends, strict=True)
        return any(text.endswith(w, 0, s) for w in self._left_ok)

    def _vetoed(self, text: str, e: int) -> bool:
        # 司法部门: 部 + 门 is a word (word_endings); 汕法治办﹝2025﹞8号 is a document number
        return (
            any(text.startswith(v, e) for v in self._vetoes)
            or text[e : e + 1] in self._word_endings.get(text[e - 1], ())
            or bool(_DOC_NUMBER_AFTER.match(text, e))
        )

    # -- spaCy --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Propose ORG names: ``doc.spans["org_candidates"]``, and on their tokens the lemma
        ``ORG_B``/``ORG_I`` that the statistical NER reads as a feature and decides on; the
        stretches the NER needs to read: ``doc.spans["org_contexts"]``; the bodies the page names
        as its issuer or source, which stand whatever the NER says: ``doc.spans["org_issuers"]``."""
        rules = doc.spans[RULES_KEY] if RULES_KEY in doc.spans else ()
        taken = [(e.start_char, e.end_char) for e in rules]
        text = doc_text(doc)
        issuers = (doc.char_span(s, e, label=LABEL, alignment_mode="contract") for s, e in self.issuer_names(text, taken))
        doc.spans[ISSUERS_KEY] = [span for span in issuers if span is not None and len(span)]
        found = self.find(text, taken)
        contexts = (doc.char_span(s, e, alignment_mode="expand") for s, e in self.contexts(text, found, taken))
        doc.spans[CONTEXTS_KEY] = [span for span in contexts if span is not None]
        spans = []
        for start, end in found:
            span = doc.char_span(start, end, label=LABEL, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
                span[0].lemma_ = PROPOSAL_B
                for token in span[1:]:
                    token.lemma_ = PROPOSAL_I
        doc.spans[CANDIDATES_KEY] = spans
        return doc


def _after_count(text: str, s: int) -> bool:
    """``text[:s]`` ends with a count (4个, 13家, 多个): what follows is a category."""
    return s > 1 and text[s - 1] in "家个所支名类级" and (text[s - 2].isdigit() or text[s - 2] in "一二两三四五六七八九十百千万多余几每")


# 利政办发〔2023〕…: an issuer's abbreviation inside a document number is no name.
_DOC_NUMBER_AFTER = re.compile(r"[发函字]?[〔﹝\[(][0-9]{4}")


class EntityMerger:
    """Put the entities together after the NER: the rule entities (``doc.spans["lawie_rules"]``)
    and the NER's organisations that have the shape of a name.

    The NER decides on the grammar's proposals (it reads them as features); a
    span it predicts beyond them must end in a body word (局, 委员会, 公司 …) and
    be no generic noun, judged by the ORG grammar's lexicons (``lawie_orgs``).
    """

    def __init__(self, nlp: Language, name: str = "lawie_entities") -> None:
        self.name = name
        self.nlp = nlp

    @property
    def grammar(self) -> OrgRules:
        return self.nlp.get_pipe("lawie_orgs")

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        candidates = list(doc.spans[CANDIDATES_KEY]) if CANDIDATES_KEY in doc.spans else []
        if "ner" not in self.nlp.pipe_names:  # rules only: the grammar's proposals stand
            orgs = candidates
        else:
            proposed = {(s.start, s.end) for s in candidates}
            grammar = self.grammar
            orgs = [
                e
                for e in doc.ents
                if e.label_ == LABEL
                and ((e.start, e.end) in proposed or (grammar.is_name(e.text) and not _DOC_NUMBER_AFTER.match(text, e.end_char)))
            ]
        if ISSUERS_KEY in doc.spans:  # the page's own statement wins over any name across it
            issuers = list(doc.spans[ISSUERS_KEY])
            stated = CharMask(len(text), ((s.start_char, s.end_char) for s in issuers))
            orgs = [o for o in orgs if not stated.overlaps(o.start_char, o.end_char)] + issuers
        rules = list(doc.spans[RULES_KEY]) if RULES_KEY in doc.spans else []
        taken = CharMask(len(text), ((r.start_char, r.end_char) for r in rules))
        doc.ents = sorted(rules + filter_spans([o for o in orgs if not taken.overlaps(o.start_char, o.end_char)]))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory(
    "lawie_entities",
    assigns=["doc.ents"],
    requires=["doc.spans"],
    default_config={},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0},
)
def make_entities(nlp: Language, name: str) -> EntityMerger:
    return EntityMerger(nlp, name)


@Language.factory("lawie_orgs", assigns=["doc.spans", "token.lemma"], default_config={})
def make_orgs(nlp: Language, name: str) -> OrgRules:
    return OrgRules(nlp, name)

"""Read the numbers of COUNT, RATE and MONEY spans.

The numeral itself (``62``, ``98.59``, ``一千四百七十二``, ``两``) is read by
`cn2an <https://pypi.org/project/cn2an/>`_ (Chinese) or :class:`decimal.Decimal`
(Arabic digits); this module only splits a span into numeral, ``余``/``多``,
multiplier (``万``, ``亿`` …) and unit, and does the arithmetic in decimals so
``98.59%`` becomes ``0.9859`` without float noise.

The functions take clean text (simplified characters, half-width digits), which
is what a lawie ``Doc`` holds; :func:`lawie.text.cleaning.clean` makes it from raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

Number = int | float

_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_MULTIPLIERS = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "万亿": 10**12}
_QUANTITY = re.compile(
    rf"^(?P<num>[0-9]+(?:,[0-9]{{3}})*(?:\.[0-9]+)?|[{_CN_NUMERAL}]+)\s*"
    r"(?P<a1>余|多)?(?P<mult>万亿|万|亿|千|百)?(?P<a2>余|多)?\s*(?P<unit>.*)$",
    re.DOTALL,  # the unit runs to the end whatever it holds, so the two \s* never backtrack
)
_PERCENT = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?)\s*%$")
_CN_PERCENT = re.compile(rf"^百分之(?P<num>[{_CN_NUMERAL}点]+)$")
_POINTS = re.compile(rf"^(?P<num>[0-9]+(?:\.[0-9]+)?|[{_CN_NUMERAL}点]+)\s*个?百分点$")
_FRACTION = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?)\s*/\s*(?P<den>[0-9]+(?:\.[0-9]+)?)$")
_CN_FRACTION = re.compile(rf"^(?P<den>[{_CN_NUMERAL}]+)分之(?P<num>[{_CN_NUMERAL}点]+)$")
_CURRENCIES = (("美元", "USD"), ("元", "CNY"))
# A fraction such as 1/3 has no exact decimal: keep this many places.
FRACTION_PLACES = 6
_MAX_NUMBER = Decimal(2**53)
# A numeral longer than this is junk (a run of 5 000 一): it reads as None.
# cn2an's time grows with the square of the length, and its result could pass
# Python's limit on converting long ints to strings.
MAX_NUMERAL_CHARS = 64
_ARABIC_NUMERAL = re.compile(r"[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+")


def _standard(n: int) -> str:
    """How ``0 < n < 1000`` is usually written in Chinese (一百零五, 一百一十, 十二)."""
    digits = "零一二三四五六七八九"
    if n < 20:
        return digits[n] if n < 10 else "十" + (digits[n % 10] if n % 10 else "")
    out, gap = "", False
    for value, unit in ((100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if gap else "") + digits[d] + unit
            gap = False
        elif out:
            gap = True
    return out


# The common numerals, read without cn2an (whose import costs about a tenth of a second, a
# large part of a one-file command's start-up); tests/test_values.py checks them against cn2an.
SMALL_NUMERALS = {_standard(n): n for n in range(1, 1000)} | {"零": 0, "〇": 0, "两": 2}
_READ_ERRORS = (ArithmeticError, ValueError, KeyError, IndexError, TypeError, AttributeError)


def read_numeral(text: str) -> Decimal | None:
    """The value of a bare numeral: ``"62"``, ``"1,472"``, ``"98.5"``, ``"二十五"``, ``"两"``, ``"百"``.

    Returns None for anything that is not a numeral, and for a numeral longer
    than :data:`MAX_NUMERAL_CHARS` characters; it never raises on content.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_NUMERAL_CHARS:
        return None
    if text[0].isascii():
        if not _ARABIC_NUMERAL.fullmatch(text):
            return None
        try:
            value = Decimal(text.replace(",", ""))
        except _READ_ERRORS:
            return None
        return value if value.is_finite() else None
    if text in SMALL_NUMERALS:
        return Decimal(SMALL_NUMERALS[text])
    head = text.rstrip("万亿")
    if SMALL_NUMERALS.get(head, 0) > 0 and text[len(head) :] in _MULTIPLIERS:  # 五十万, 三亿, 二十万亿
        return Decimal(SMALL_NUMERALS[head] * _MULTIPLIERS[text[len(head) :]])
    if text[0] in "十百千万亿" and text[0] != "十":
        text = "一" + text  # 百分之百, 百余人, 千余件: a bare unit numeral means one of it
    import cn2an  # imported on first use: it takes a tenth of a second

    try:
        value = cn2an.cn2an(text, "normal")
        number = Decimal(str(value))
    except _READ_ERRORS:
        return None
    return number if number.is_finite() else None


def as_number(value: Decimal | None) -> Number | None:
    """``int`` when whole, ``float`` otherwise (None stays None).

    A value of 2**53 or more (junk such as a run of 5 000 digits) is None: no
    report states it, and it would not survive JSON or an int64 column.
    """
    try:
        if value is None or not value.is_finite() or abs(value) >= _MAX_NUMBER:
            return None
        if value == value.to_integral_value():
            return int(value)
        return float(value.normalize())
    except _READ_ERRORS:
        return None


def _scaled(number: Decimal | None, factor: int | Decimal) -> Decimal | None:
    """``number * factor``, or None when it is out of range (never an exception)."""
    if number is None:
        return None
    try:
        value = number * factor
    except _READ_ERRORS:
        return None
    return value if value.is_finite() and abs(value) < _MAX_NUMBER else None


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as written in a COUNT or MONEY span."""

    value: Number | None
    unit: str | None
    approx: str | None  # "gt" when 余/多 is inside the span, else None


def parse_quantity(text: str) -> Quantity:
    """Split ``"10余万人次"`` into value 100000, unit ``人次`` and approx ``"gt"``.

    The unit is the measure word; after ``个`` it is the noun that follows
    (``12个工作日`` → ``工作日``); the typo ``各`` for ``个`` is read as ``个``.
    """
    m = _QUANTITY.match(text.strip())
    if not m:
        return Quantity(None, None, None)
    number = read_numeral(m["num"])
    if number is not None and m["mult"]:
        number = _scaled(number, _MULTIPLIERS[m["mult"]])
    unit = m["unit"].strip()
    if unit == "各":
        unit = "个"
    elif len(unit) > 1 and unit[0] in "个各":
        unit = unit[1:]
    approx = "gt" if (m["a1"] or m["a2"]) else None
    return Quantity(as_number(number), unit or None, approx)


@dataclass(frozen=True)
class Money:
    """An amount of money in the currency's base unit (yuan, dollars)."""

    value: Number | None
    currency: str | None
    approx: str | None


def parse_money(text: str) -> Money:
    """``"74356万元"`` → value 743560000, currency ``"CNY"``."""
    q = parse_quantity(text)
    currency = None
    value = q.value
    unit = q.unit or ""
    for word, code in _CURRENCIES:
        if unit.endswith(word):
            currency = code
            scale = unit[: -len(word)]
            if scale and value is not None:
                factor = _MULTIPLIERS.get(scale)
                value = as_number(_scaled(Decimal(str(value)), factor)) if factor else None
            break
    return Money(value, currency, q.approx)


@dataclass(frozen=True)
class Rate:
    """A RATE span read as a fraction (``value``) or as percentage points (``points``)."""

    value: Number | None
    points: Number | None


def _fraction(num: Decimal, den: Decimal) -> Decimal | None:
    """``num / den`` to :data:`FRACTION_PLACES` places; None when out of range (三分之一一一…)."""
    try:
        value = num / den
        if not value.is_finite() or abs(value) >= _MAX_NUMBER:
            return None
        return round(value, FRACTION_PLACES)
    except _READ_ERRORS:
        return None


def parse_rate(text: str) -> Rate:
    """``"98.59%"`` → value 0.9859; ``"百分之百"`` → 1; ``"1/4"`` → 0.25; ``"11个百分点"`` → points 11."""
    text = text.strip()
    m = _PERCENT.match(text) or _CN_PERCENT.match(text)
    if m:
        number = read_numeral(m["num"])
        return Rate(as_number(_scaled(number, Decimal("0.01"))), None)
    m = _POINTS.match(text)
    if m:
        return Rate(None, as_number(read_numeral(m["num"])))
    m = _FRACTION.match(text) or _CN_FRACTION.match(text)
    if m:
        num, den = read_numeral(m["num"]), read_numeral(m["den"])
        if num is None or not den:
            return Rate(None, None)
        return Rate(as_number(_fraction(num, den)), None)
    return Rate(None, None)


__all__ = ["read_numeral", "as_number", "parse_quantity", "parse_money", "parse_rate", "Quantity", "Money", "Rate"]

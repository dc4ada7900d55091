"""Build ``lawie/data/places.json`` from jionlp's table of China's administrative divisions.

Build step only: jionlp is installed for this script (``pip install jionlp``)
and is not a run-time dependency of lawie. The output is compact: provinces,
prefecture-level cities and county-level divisions with their short forms,
and township-level names (towns, townships, sub-districts, sumu, zones) with
their level word split off, grouped by that word.

    python training/build_places.py [-o lawie/data/places.json]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "lawie" / "data" / "places.json"

# Township-level divisions kept, by the level word their name ends with. Farms,
# forest farms, prisons and companies that jionlp lists at this level are not
# places whose bodies publish reports, so they are left out.
TOWN_LEVELS = ("街道", "镇", "乡", "苏木")
TOWN_ZONES = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "开发区", "新区", "示范区", "产业园区", "工业园区", "园区")

# Full names that are also common nouns in these reports (城区 "urban area",
# 郊区 "suburbs"); a name like 城区人民政府 is read as generic, never as the
# district of that name.
AMBIGUOUS = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区", "新区", "市区", "林区"}
# Aliases jionlp gives some zones that are only level words (高新区, 经开区).
LEVEL_ALIASES = {"高新区", "经开区", "开发区", "新区", "示范区", "园区"}


def _short_forms(full: str, aliases: str) -> list[str]:
    out = []
    for alias in aliases.split("/"):
        alias = alias.strip()
        if len(alias) >= 2 and alias != full and alias not in LEVEL_ALIASES and alias not in out:
            out.append(alias)
    return out


def _keep(name: str) -> bool:
    return bool(name) and "直辖" not in name and "的" not in name and name not in AMBIGUOUS


def build() -> dict:
    """Read jionlp's division table and return the compact place lexicon."""
    import jionlp  # build-time only

    table = Path(jionlp.__file__).parent / "dictionary" / "china_location.txt"
    provinces: dict[str, list[str]] = {}
    cities: dict[str, dict[str, list[str]]] = {}  # province -> city -> short forms
    counties: dict[str, dict[str, list[str]]] = {}  # city -> county -> short forms
    towns: dict[str, set[str]] = {level: set() for level in TOWN_LEVELS}
    zones: set[str] = set()
    province = city = None
    for line in table.read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth == 4 or not parts[0]:
            continue  # villages and communities
        if depth == 3:
            name = parts[0]
            level = next((lv for lv in TOWN_LEVELS if name.endswith(lv) and len(name) > len(lv)), None)
            if level:
                towns[level].add(name[: -len(level)])
            elif name.endswith(TOWN_ZONES) and _keep(name):
                zones.add(name)
            continue
        if len(parts) != 3:
            continue
        full, _code, aliases = parts
        shorts = _short_forms(full, aliases)
        if depth == 0:
            province = full
            if _keep(full):
                provinces[full] = shorts
        elif depth == 1:
            city = full
            if _keep(full) and province:
                cities.setdefault(province, {})[full] = shorts
        elif _keep(full) and city:
            counties.setdefault(city, {})[full] = shorts
    version = getattr(jionlp, "__version__", "?")
    return {
        "_source": (
            f"China's administrative divisions as compiled in jionlp {version} "
            "(dictionary/china_location.txt: provinces, prefecture-level cities, county-level "
            "divisions with their short forms, townships and sub-districts), converted by "
            "training/build_places.py. province: [full name, short forms…]; city: the same, grouped "
            "by province; county: the same, grouped by city; town: names without their level word, "
            "grouped by that word; zone: township-level development zones."
        ),
        "province": [[full, *shorts] for full, shorts in sorted(provinces.items())],
        "city": {p: [[full, *shorts] for full, shorts in sorted(cs.items())] for p, cs in sorted(cities.items())},
        "county": {c: [[full, *shorts] for full, shorts in sorted(cs.items())] for c, cs in sorted(counties.items())},
        "town": {level: "|".join(sorted(names)) for level, names in towns.items()},
        "zone": sorted(zones),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    data = build()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One level per line keeps diffs of a rebuilt file readable.
    text = re.sub(r',"(?=province|city|county|town|zone)', ',\n"', text)
    args.output.write_text(text + "\n", encoding="utf-8")
    counts = {
        k: sum(len(x.split("|")) if isinstance(x, str) else len(x) for x in v.values()) if isinstance(v, dict) else len(v)
        for k, v in data.items()
        if not k.startswith("_")
    }
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KB): {counts}")


if __name__ == "__main__":
    main()

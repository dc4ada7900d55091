"""Report metadata (``lawie_meta``): title, issuer, year reported on, publication date …"""

from __future__ import annotations

import pytest

from lawie.pipeline.meta import META_FIELDS, MetaReader

# Read from the seeds by hand; every field is checked.
SEED_META = {
    "000_880ad7a322cffbd7": {
        "title": "关于2023年度法治政府建设情况报告",
        # joint issuers (工委 and 管委会): the government body
        "issuer": "济南新旧动能转换起步区管委会",
        "year": 2023,
        "published": "2024-01-31",  # no page date: the date under the signature
        "doc_number": None,
        "addressee": None,
    },
    "001_7fd64a31cf2fad1d": {
        "title": "阳新经济开发区管委会法制建设年度报告",
        "issuer": "阳新经济开发区管委会",
        "year": 2022,  # from the opening sentence: the title has no year
        "published": "2023-03-06",  # the page's 发布日期, not the signature's 2023-03-02
        "doc_number": None,  # the 文号 cell is empty
        "addressee": None,
    },
    "002_7cbc334219cd1cfe": {
        "title": "北京市大兴区人民政府2023年法治政府建设年度情况报告",
        "issuer": "北京市大兴区人民政府",
        "year": 2023,
        "published": "2024-03-28",
        "doc_number": None,
        "addressee": None,
    },
    "003_a20a0297e89864b5": {
        "title": "2017年度徐圩新区推进依法行政建设法治政府工作情况报告",
        "issuer": "国家东中西区域合作示范区管理委员会",
        "year": 2017,
        "published": "2018-01-11",
        "doc_number": "示范区发〔2018〕7号",
        "addressee": "市政府",
    },
    "004_07ddf58672798297": {
        "title": "庐阳区人民政府关于2020年度法治政府建设情况的报告",
        "issuer": "庐阳区人民政府",
        "year": 2020,
        "published": "2021-02-10",  # the signature date is garbled (2021210); the page has it
        "doc_number": None,
        "addressee": None,
    },
}


@pytest.mark.parametrize("name", sorted(SEED_META))
@pytest.mark.parametrize("field", META_FIELDS)
def test_seed_meta(seed_reports, name, field):
    meta = seed_reports[name].meta
    assert set(meta) == set(META_FIELDS)
    assert meta[field] == SEED_META[name][field]


def test_meta_is_json_and_set_on_the_doc(nlp, seed_texts):
    doc = nlp(seed_texts["002_7cbc334219cd1cfe"])
    assert doc._.meta == SEED_META["002_7cbc334219cd1cfe"]


@pytest.mark.parametrize(
    "raw,expected",
    [
        (
            # issuer line, title, doc number line, addressee, Chinese-numeral signature date
            "某某县人民政府\n关于2021年度法治政府建设情况的报告\n某政发〔2022〕3号\n市人民政府:\n"
            "2021年,我县认真贯彻落实各项部署,现将有关情况报告如下:\n一、主要举措和成效\n审理案件62件。\n"
            "某某县人民政府\n二〇二二年一月十五日\n",
            {
                "title": "关于2021年度法治政府建设情况的报告",
                "issuer": "某某县人民政府",
                "year": 2021,
                "published": "2022-01-15",
                "doc_number": "某政发〔2022〕3号",
                "addressee": "市人民政府",
            },
        ),
        (
            # traditional, full-width: the year comes from the opening sentence
            "某某區司法局法治建設年度報告\n發布日期:２０２３－０２－０１\n"
            "２０２２年，我局堅持依法行政，全面推進法治政府建設各項工作，取得了明顯成效。\n一、主要成效\n辦理案件10件。\n",
            {
                "title": "某某区司法局法治建设年度报告",
                "issuer": "某某区司法局",
                "year": 2022,
                "published": "2023-02-01",
                "doc_number": None,
                "addressee": None,
            },
        ),
        (
            # nothing said: every field is None
            "一、主要举措\n全年审理案件62件,结案率100%。\n",
            dict.fromkeys(META_FIELDS),
        ),
    ],
    ids=["full", "traditional", "bare"],
)
def test_constructed_meta(nlp, raw, expected):
    assert nlp(raw)._.meta == expected


def test_issuer_from_the_signature_when_nothing_else_says(nlp):
    raw = (
        "2022年法治政府建设工作总结\n2022年,我们坚持以习近平法治思想为指导,扎实推进依法行政,现将有关情况报告如下:\n"
        "一、主要工作\n审理案件62件。\n某某经济开发区管委会\n2023年1月5日\n"
    )
    meta = nlp(raw)._.meta
    assert meta["issuer"] == "某某经济开发区管委会"
    assert meta["published"] == "2023-01-05"
    assert meta["year"] == 2022


def test_works_without_sections(nlp):
    doc = nlp.make_doc("北京市大兴区人民政府2023年法治政府建设年度情况报告\n来源:区政府办 日期:2024-03-28 10:49\n正文。")
    meta = MetaReader()(doc)._.meta
    assert meta["issuer"] == "北京市大兴区人民政府"
    assert meta["year"] == 2023 and meta["published"] == "2024-03-28"


def test_invalid_dates_are_none(nlp):
    doc = nlp("某区人民政府2023年法治政府建设情况报告\n发布日期:2024-02-31\n")
    assert doc._.meta["published"] is None


@pytest.mark.parametrize("furniture", ["当前位置:", "分享到:", "字号:", "发文机关:"])
def test_page_furniture_ending_in_a_colon_is_not_the_addressee(nlp, furniture):
    raw = f"某某县人民政府2022年法治政府建设情况报告\n{furniture}\n2022年,我县扎实推进依法行政,现将有关情况报告如下:\n一、主要举措\n审理案件62件。\n"
    assert nlp(raw)._.meta["addressee"] is None
    assert nlp(raw.replace(furniture, "县人大常委会:"))._.meta["addressee"] == "县人大常委会"

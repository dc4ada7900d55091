"""The fields of the page table a published report carries: ``发布机构: 鲍沟镇``, ``来源:市司法局``.

A government site prints the issuing body and the source of a page as labelled
fields, the value after a separator (``:``, ``|``, ``]``) or alone on the next
line, often run on into the next field (``田村路街道办事处日期:2022-02-15``).
``lawie_meta`` reads the issuer from these fields and ``lawie_orgs`` labels the
bodies named in them; both take the labels from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ISSUER_LABELS = ("发布机构", "发布机关", "发文机关", "发文单位", "发布单位", "制发机关", "成文单位")
SOURCE_LABELS = ("信息来源", "来源")
# Field labels that run on right after a value with no space between them.
_NEXT_FIELD = re.compile(r"(?:发布|更新|生成|成文|发文|印发)?(?:时间|日期)|浏览|点击|阅读|访问|作者|文号|字体|打印|分享")
_FIELD = re.compile(
    r"(?:^|(?<=[\s|\[【]))(?:"
    r"(?:" + "|".join(ISSUER_LABELS + SOURCE_LABELS) + r")"
    r"(?:[ \t]*[|:\]】][ \t|\[]*\n?[ \t|]*|[ \t]*\n[ \t|]*|[ \t]+)"  # a separator, or the value on the next line
    r"|(?:" + "|".join(ISSUER_LABELS) + r"))"  # an issuer label glued to its value (发文机关河南省人民政府)
    r"(?P<value>[^\s|:\[\]【】<>]{2,60})"
)


def field_values(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the value of each issuer or source field of ``text``, cut before a
    field label it runs on into (``…办事处日期:…`` → ``…办事处``)."""
    for m in _FIELD.finditer(text):
        start, end = m.span("value")
        run_on = _NEXT_FIELD.search(text, start + 1, end)
        yield start, run_on.start() if run_on else end

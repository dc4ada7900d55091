"""Turn bytes of unknown encoding into text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030."""

from __future__ import annotations

import codecs

from ..errors import Errors

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030")


def decode(data: bytes, source: str = "the input bytes") -> str:
    """Decode ``data``, trying the encodings Chinese government sites use; ``ValueError`` if none fits."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(Errors.E002.format(source=source, encodings=", ".join(ENCODINGS)))

"""Bytes → str for pages: BOM, then the server's charset (HTTP), then a declared charset
(HTML), else UTF-8 with replacement.

Binary input (NUL bytes, known binary signatures, or mostly control / undecodable
characters) raises `InputError` rather than producing garbage text.
"""

from __future__ import annotations

import codecs
import re

from ldn_evidence.errors import InputError

MAX_PAGE_BYTES = 50 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.\-]{1,40})""")

# HTML5 encoding rules: these labels mean windows-1252; a declared UTF-16 without a BOM
# cannot be right (the declaration itself was readable as ASCII), so it means UTF-8.
_AS_CP1252 = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "us-ascii", "ascii", "l1"}
_UTF16_NAMES = {"utf-16", "utf-16le", "utf-16be", "utf16"}

# Binary: more control / replacement characters than this share of the text (and at least
# _BAD_MIN of them, so a short text with one bad byte is still text).
_BAD_RATIO = 0.10
_BAD_MIN = 8
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_SURROGATE = re.compile("[\ud800-\udfff]")


def charset_codec(label: str) -> str | None:
    """The codec a charset label names, read as browsers do ("latin1" is windows-1252),
    or None for a label Python does not know."""
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    if label in _UTF16_NAMES:
        return "utf-8"
    return charset_codec(label)


def _reject_binary(data: bytes) -> None:
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"this looks like {what}, not a text or HTML page")
    if b"\x00" in data:
        raise InputError("binary data (NUL bytes), not a text or HTML page")


def _check_text(text: str) -> None:
    if not text:
        return
    sample = text[:65536]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in _ALLOWED_CONTROLS))
    bad += sample.count("\x7f")
    if bad > max(_BAD_MIN, _BAD_RATIO * len(sample)):
        raise InputError("binary data (mostly non-text bytes), not a text or HTML page")


def decode_page(data: bytes | str, *, html: bool, charset: str | None = None) -> str:
    """Decode page bytes: a BOM, else `charset` (what the server declared, HTTP's
    Content-Type), else (`html=True`) `<meta charset>` / the XML declaration, else UTF-8."""
    if isinstance(data, str):
        # Lone surrogates (from a lossy decode elsewhere) become U+FFFD, as bytes would.
        text = _SURROGATE.sub("\ufffd", data)
    else:
        data = bytes(data)
        if len(data) > MAX_PAGE_BYTES:
            raise InputError(f"page too large ({len(data)} bytes; limit {MAX_PAGE_BYTES})")
        encoding = None
        for bom, name in _BOMS:
            if data.startswith(bom):
                encoding, data = name, data[len(bom) :]
                break
        if encoding is None:
            _reject_binary(data)
            encoding = (
                (charset_codec(charset) if charset else None)
                or (_declared_charset(data[:4096]) if html else None)
                or "utf-8"
            )
        text = data.decode(encoding, errors="replace")
    if "\x00" in text:
        raise InputError("binary data (NUL characters), not a text or HTML page")
    _check_text(text)
    return text.lstrip("\ufeff")

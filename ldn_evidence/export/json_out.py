"""JSON: the report nested document → claims → citations → study, versioned.

The shape is `ldn-evidence/3`, described by the JSON Schema in `schema.json` (shipped
with the package; `load_schema()` reads it). The schema lists every field and allows no
others, so any change of shape comes with a new schema version.

The file is written as it is made, a claim at a time (`chunks_json`), with the bytes
`json.dumps(asdict(report), indent=2)` would give: a streamed report (`ReportStream`) is
never held whole. Each claim is written by orjson (C, dataclasses read natively) where it
writes what json.dumps writes (`_orjson_safe`), else by the indenting encoder `_encode`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import fields, is_dataclass
from importlib.resources import files
from json.encoder import encode_basestring as _string  # json's, as ensure_ascii=False
from typing import Any

import orjson

from ldn_evidence.viewmodel import DocumentEntry, JsonText, Later, Report, StudyRecord


def report_data(report: Report) -> dict[str, Any]:
    """The whole report as JSON data (held in memory: for small reports and tests)."""
    return {f.name: _data(getattr(report, f.name)) for f in fields(Report)}


def render_json(report: Report) -> bytes:
    return b"".join(chunks_json(report))


_BLOCK = 1 << 20  # bytes gathered before they are given out: a few
# large writes rather than one per claim (a file of 100,000 claims holds ~500 MB)


def chunks_json(report: Report) -> Iterator[bytes]:
    """The file in blocks of about `_BLOCK` bytes. The writers give pieces as text, but a
    claim written already (`JsonText`) as its UTF-8 bytes: it is never decoded and encoded
    again (half the file's bytes would be)."""
    pending: list[bytes | memoryview] = []
    size = 0
    for text in _object(_report_items(report), 0):
        piece = text.encode("utf-8") if isinstance(text, str) else text
        pending.append(piece)
        size += len(piece)
        if size >= _BLOCK:
            yield b"".join(pending)
            pending, size = [], 0
    pending.append(b"\n")
    yield b"".join(pending)


def _data(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(value)
    if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
        return value
    return [_data(v) for v in value]


_LEAVES = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None: not a dataclass), worked out once per class."""
    try:
        return _FIELDS[cls]
    except KeyError:
        names = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
        _FIELDS[cls] = names
        return names


def _plain(value: Any) -> Any:
    """`dataclasses.asdict(value)` as JSON reads it (the same keys, values and order),
    without its generic walk and the deep copy of every leaf: the views hold only
    strings, numbers, booleans, None, lists, dicts and other views."""
    cls = type(value)
    if cls in _LEAVES:
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return deepcopy(value)


class _Each:
    """A list written an item at a time."""

    def __init__(self, items: Iterable[Any], write: Any = None) -> None:
        self.items = items
        self.write = write


def _report_items(report: Report) -> Iterator[tuple[str, Any]]:
    for f in fields(Report):  # a ReportStream's own fields are not part of the format
        value = getattr(report, f.name)
        if f.name == "documents":
            yield f.name, _Each(value, _document)
        elif f.name == "claims_without_document":
            yield f.name, _Each(value)
        else:
            yield f.name, _data(value)


def _document(doc: DocumentEntry, level: int) -> Iterator[str | bytes | memoryview]:
    def items() -> Iterator[tuple[str, Any]]:
        for f in fields(doc):
            value = getattr(doc, f.name)  # red_flags after claims: known once they are read
            if f.name == "claims":
                yield f.name, _Each(value)
            elif type(value) is list or type(value) is Later:  # of views: `_dump` writes
                yield f.name, list(value)  # them as they stand (orjson reads dataclasses)
            else:
                yield f.name, _data(value)

    return _object(items(), level)


def _dump(value: Any, level: int) -> str:
    """`json.dumps(_plain(value), indent=2, ensure_ascii=False)`, its lines indented `level`
    more: by orjson where it writes the same (`_orjson_safe`), else by `_encode` (json's own
    encoder is pure Python once it indents)."""
    if _orjson_safe(value):
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
        return text.replace("\n", "\n" + "  " * level) if level else text
    parts: list[str] = []
    _encode(_plain(value), "\n" + "  " * level, parts.append)
    return "".join(parts)


_INT_RANGE = range(-(2**63), 2**64)  # what orjson writes; json.dumps writes any int
_SMALLEST = 1e-4  # a float this size or larger orjson writes as repr (so json) does:
# smaller, 1e-05 is "0.00001"; NaN and infinities it writes as null


_PLAIN = frozenset({str, bool, type(None)})  # written alike, whatever their value


def _orjson_safe(value: Any) -> bool:
    """Whether orjson writes `value` as json.dumps writes `_plain(value)`: only strings,
    None, booleans, ints of 64 bits, floats that are 0 or at least `_SMALLEST` and finite,
    lists, tuples, dicts with string keys and dataclasses holding only their fields (orjson
    writes an instance's __dict__, in field order). Subclasses (enums) are left to json."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is int:
        return value in _INT_RANGE
    if kind is float:
        return value == 0.0 or _SMALLEST <= abs(value) < _INFINITY  # NaN: False
    names = _field_names(kind)
    if names is not None:
        slots = getattr(value, "__dict__", None)
        if slots is None or len(slots) != len(names):
            return False
        items: Iterable[Any] = slots.values()
    elif kind is list or kind is tuple:
        items = value
    elif kind is dict:
        for key in value:
            if type(key) is not str:
                return False
        items = value.values()
    else:
        return False
    plain = _PLAIN
    for item in items:  # most items are strings, None or ids: no call for them
        item_kind = type(item)
        if item_kind in plain:
            continue
        if item_kind is int:
            if item not in _INT_RANGE:
                return False
        elif not _orjson_safe(item):
            return False
    return True


def _float(value: float) -> str:
    """A float as json writes it (`allow_nan`: NaN, Infinity, -Infinity)."""
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


_INFINITY = float("inf")


def _encode(value: Any, newline: str, out: Any) -> None:
    """`value` as json.dumps writes it with indent=2, `newline` starting each of its lines
    after the first; anything but the JSON types, or a key that is not a string, goes
    through json.dumps itself (so its output and its errors stay json's)."""
    kind = type(value)
    if kind is str:
        out(_string(value))
    elif value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif kind is int:
        out(int.__repr__(value))
    elif kind is float:
        out(_float(value))
    elif kind is list or kind is tuple:
        if not value:
            out("[]")
            return
        inner = newline + "  "
        out("[" + inner)
        first = True
        for item in value:
            if not first:
                out("," + inner)
            first = False
            _encode(item, inner, out)
        out(newline + "]")
    elif kind is dict and all(type(key) is str for key in value):
        if not value:
            out("{}")
            return
        inner = newline + "  "
        out("{" + inner)
        first = True
        for key, item in value.items():
            if not first:
                out("," + inner)
            first = False
            out(_string(key) + ": ")
            _encode(item, inner, out)
        out(newline + "}")
    else:
        out(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline))


def _object(items: Iterable[tuple[str, Any]], level: int) -> Iterator[str | bytes | memoryview]:
    inner = "  " * (level + 1)
    opened = False
    for key, value in items:
        yield ("{\n" if not opened else ",\n") + inner + json.dumps(key, ensure_ascii=False) + ": "
        opened = True
        if isinstance(value, _Each):
            yield from _array(value, level + 1)
        else:
            yield _dump(value, level + 1)
    yield ("\n" + "  " * level + "}") if opened else "{}"


def _array(each: _Each, level: int) -> Iterator[str | bytes | memoryview]:
    inner = "  " * (level + 1)
    opened = False
    shift_bytes = ("\n" + inner).encode("utf-8")
    for item in each.items:
        if type(item) is JsonText:  # a claim written already: bytes, as they stand
            yield (b"[" if not opened else b",") + shift_bytes
            opened = True
            if item.level == level + 1:
                yield item.view()
            else:
                yield _at_level(bytes(item), item.level, level + 1)
            continue
        yield ("[\n" if not opened else ",\n") + inner
        opened = True
        if each.write is not None:
            yield from each.write(item, level + 1)
        else:
            yield _dump(item if is_dataclass(item) else _data(item), level + 1)
    yield ("\n" + "  " * level + "]") if opened else "[]"


def _at_level(text: Any, written: int, level: int) -> Any:
    """JSON text (str or bytes) written with its lines after the first indented `written`
    levels, indented `level` instead: every such line starts with at least that indent,
    and a raw newline is only ever between lines (strings escape theirs)."""
    if written == level:
        return text
    marks: Any = ("\n", "  ") if type(text) is str else (b"\n", b"  ")
    newline, indent = marks
    if level > written:
        return text.replace(newline, newline + indent * (level - written))
    return text.replace(newline + indent * (written - level), newline)


# A claim's level in the file: a page's (the report's "documents", the document, its
# "claims", the claim), or one without a page ("claims_without_document", the claim). The
# json export writes each claim at its level (`claim_text`) and each cited study's text
# for a page's claim (`study_text`, `study_cells`), so that neither is indented again.
CLAIM_LEVEL = 4
LOOSE_CLAIM_LEVEL = 2
STUDY_LEVEL = CLAIM_LEVEL + 3  # a citation's study: claim, citations, citation, study


def study_text(study: StudyRecord) -> str:
    """A citation's study as the file holds it in a page's claim (`claim_text`): what
    `study_cells` stores, so a claim is written without the study's record."""
    return _dump(study, STUDY_LEVEL)


_WRAPS: dict[int, tuple[int, int]] = {}  # per level: the bytes before and after a claim


def _indented(value: Any, level: int) -> bytes:
    """orjson's text of `value` nested in `level` lists, which it indents `level` levels
    (`_wrapped` says how many bytes the lists take before and after it)."""
    for _ in range(level):
        value = [value]
    return orjson.dumps(value, option=orjson.OPT_INDENT_2)


def _wrapped(level: int) -> tuple[int, int]:
    """How many bytes `_indented(value, level)` writes before and after the value."""
    try:
        return _WRAPS[level]
    except KeyError:
        text = _indented(0, level)
        at = text.index(b"0")
        _WRAPS[level] = found = (at, len(text) - at - 1)
        return found


def claim_text(claim: dict[str, Any]) -> JsonText:
    """`_dump(claim, level)` as UTF-8 bytes, at the claim's level in the file (`CLAIM_LEVEL`,
    or `LOOSE_CLAIM_LEVEL` without a page), of a claim given as data: a dict of
    `ClaimEntry`'s fields in order, its citations dicts of `CitationEntry`'s whose "study"
    is the study's `study_text` (or None) and whose "reference" is a view or a dataclass of
    its fields. Its other values are ids, strings, booleans and None (which orjson writes
    as json does) but the figure and the last evidence run, which are checked
    (`_orjson_safe`): written by orjson, nested in lists to indent it, with each study's
    text spliced in as it stands, else by the indenting encoder with the studies read
    back."""
    level = CLAIM_LEVEL if claim["document_id"] is not None else LOOSE_CLAIM_LEVEL
    citations = claim["citations"]
    if _orjson_safe(claim["figure"]) and _orjson_safe(claim["stronger_evidence"]):
        for c in citations:
            if c["study"] is not None:
                c["study"] = orjson.Fragment(_at_level(c["study"], STUDY_LEVEL, level + 3))
        text = _indented(claim, level)
        before, after = _wrapped(level)
        return JsonText(text, level, before, len(text) - after)
    for c in citations:
        if c["study"] is not None:
            c["study"] = json.loads(c["study"])
    parts: list[str] = []
    _encode(_plain(claim), "\n" + "  " * level, parts.append)
    return JsonText("".join(parts).encode("utf-8"), level)


def load_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        files("ldn_evidence.export").joinpath("schema.json").read_text("utf-8")
    )
    return data

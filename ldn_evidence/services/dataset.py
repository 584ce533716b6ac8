"""Read the hand-written dataset formats (YAML, CSV) into checked plain data.

The formats are documented in `data/README.md`. Errors name the file, the line and the
key, and what is wrong; nothing is written when a file is bad (reading is separate from
storing).

A YAML file is read whole. A CSV file is checked whole first (every row, as it will be
stored) keeping only its page and the PMIDs it cites, and its claims are read again, as a
stream, while they are stored (`Dataset.claims`): memory does not grow with its rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ldn_evidence.errors import InputError
from ldn_evidence.figures import QUALIFIERS
from ldn_evidence.textsafe import codepoint, control_in, quoted, url_problem
from ldn_evidence.vocab import REFERENCE_KINDS, normalize_pmid

FORMAT = "ldn-evidence/1"
_URL_KEYS = frozenset({"url", "document_url"})
MAX_DATASET_BYTES = 20 * 1024 * 1024
"""A dataset file is read whole and checked before anything is stored: at most 20 MB."""
CSV_COLUMNS = (
    "text",
    "position",
    "condition",
    "intervention",
    "dose",
    "outcome",
    "population",
    "figure_value",
    "figure_unit",
    "figure_qualifier",
    "figure_text",
    "pmids",
    "document_url",
    "document_title",
)


@dataclass
class DocumentData:
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    retrieved_at: str | None = None
    text: str | None = None


@dataclass
class ReferenceData:
    key: str
    raw: str
    kind: str
    url: str | None = None
    title: str | None = None
    pmid: str | None = None
    doi: str | None = None
    marker: str | None = None


@dataclass
class ClaimData:
    text: str
    position: int | None = None
    kind: str | None = None
    condition: str | None = None
    intervention: str | None = None
    dose: str | None = None
    outcome: str | None = None
    population: str | None = None
    figure_value: float | None = None
    figure_unit: str | None = None
    figure_qualifier: str | None = None
    figure_text: str | None = None
    cites: list[str] | None = None  # reference keys; None = every reference of the page


@dataclass
class AuthorData:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None


@dataclass
class StudyData:
    pmid: str
    title: str
    authors: list[AuthorData] = field(default_factory=list)
    journal: str | None = None
    journal_iso: str | None = None
    year: int | None = None
    pub_date: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    publication_types: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class Dataset:
    """A checked dataset. `references` and `claims` are iterated once each, in order (a
    CSV file's claims are read from the file again then)."""

    source: str
    document: DocumentData | None = None
    references: Iterable[ReferenceData] = field(default_factory=list)
    claims: Iterable[ClaimData] = field(default_factory=list)
    studies: list[StudyData] = field(default_factory=list)


class _Where:
    """Knows the line of every key, so errors can name it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, node: Any, path: str, message: str) -> InputError:
        line = getattr(node, "_line", None)
        at = f", line {line}" if line else ""
        return InputError(f"{self.source}{at}: {path}: {message}")


class _LineDict(dict[str, Any]):
    _line: int | None = None
    _key_lines: dict[str, int]


class _LineList(list[Any]):
    _line: int | None = None


def _yaml_load(text: str, source: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: Any, node: Any) -> _LineDict:
        d = _LineDict(loader.construct_mapping(node, deep=True))
        d._line = node.start_mark.line + 1
        d._key_lines = {
            k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")
        }
        return d

    def sequence(loader: Any, node: Any) -> _LineList:
        seq = _LineList(loader.construct_sequence(node, deep=True))
        seq._line = node.start_mark.line + 1
        return seq

    def integer(loader: Any, node: Any) -> Any:
        try:
            return yaml.SafeLoader.construct_yaml_int(loader, node)
        except ValueError:  # over Python's 4 300-digit limit: kept as written, checked later
            return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:int", integer)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f", line {mark.line + 1}" if mark else ""
        raise InputError(f"{source}{line}: not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from None


class _Reader:
    def __init__(self, where: _Where) -> None:
        self.where = where

    def mapping(self, node: Any, path: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(node, dict):
            raise self.where.error(node, path, "expected a mapping of keys")
        unknown = sorted(set(node) - allowed)
        if unknown:
            line = getattr(node, "_key_lines", {}).get(unknown[0])
            at = f", line {line}" if line else ""
            raise InputError(
                f"{self.where.source}{at}: {path}.{unknown[0]}: unknown key "
                f"(allowed: {', '.join(sorted(allowed))})"
            )
        for key in sorted(required):
            if node.get(key) in (None, ""):
                raise self.where.error(node, f"{path}.{key}", "is required")
        return node

    def text(self, node: dict, key: str, path: str) -> str | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            raise self._at(node, key, path, "expected text")
        return str(value).strip() or None

    def number(self, node: dict, key: str, path: str) -> float | None:
        value = node.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise self._at(node, key, path, "expected a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise self._at(node, key, path, f"expected a number, got {value!r}") from None
        if not math.isfinite(number):  # .inf / .nan: not a figure, and not valid JSON
            raise self._at(node, key, path, f"expected a finite number, got {value!r}")
        return number

    def _at(self, node: dict, key: str, path: str, message: str) -> InputError:
        line = getattr(node, "_key_lines", {}).get(key) or getattr(node, "_line", None)
        at = f", line {line}" if line else ""
        return InputError(f"{self.where.source}{at}: {path}.{key}: {message}")


def _pmid(value: str | None, err: Any) -> str | None:
    if value is None:
        return None
    pmid = normalize_pmid(value)
    if pmid is None:
        raise err(f"not a PMID: {quoted(value.strip())}")
    return pmid


def read_dataset(path: Path) -> Dataset:
    """Read a `.yaml`/`.yml` or `.csv` dataset file (a regular file of at most
    `MAX_DATASET_BYTES`); InputError on anything wrong."""
    from ldn_evidence.services.inputs import open_regular

    suffix = path.suffix.lower()
    with open_regular(path, what="a dataset file", limit=MAX_DATASET_BYTES) as handle:
        if suffix in (".yaml", ".yml"):
            return _read_yaml(_text(path, _read_all(path, handle)), str(path))
        _check_utf8(path, handle)
        if suffix == ".csv":
            handle.seek(0)
            return _read_csv(path, handle, str(path))
    raise InputError(
        f"{path}: unknown file type {suffix or '(none)'}; expected .yaml, .yml or .csv"
    )


def _read_all(path: Path, handle: BinaryIO) -> bytes:
    from ldn_evidence.services.inputs import too_large

    try:
        data = handle.read(MAX_DATASET_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_DATASET_BYTES:  # it grew since it was opened
        raise too_large(path, len(data), MAX_DATASET_BYTES, "a dataset file")
    return data


def _text(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None


_BLOCK = 1 << 20


def _check_utf8(path: Path, handle: BinaryIO) -> None:
    """Refuse a file that is not UTF-8 (or grew past the cap), a block at a time; the
    offending byte is counted as `bytes.decode("utf-8-sig")` counts it (after a BOM)."""
    from ldn_evidence.services.inputs import too_large

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = total = 0
    while True:
        try:
            block = handle.read(_BLOCK)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        total += len(block)
        if total > MAX_DATASET_BYTES:  # it grew since it was opened
            raise too_large(path, total, MAX_DATASET_BYTES, "a dataset file")
        if total == len(block):  # the first block: a BOM is not counted
            block = block.removeprefix(codecs.BOM_UTF8)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(block, not block)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not UTF-8 text (byte {offset - pending + exc.start})"
            ) from None
        if not block:
            return
        offset += len(block)


def _read_yaml(text: str, source: str) -> Dataset:
    where = _Where(source)
    r = _Reader(where)
    top = _yaml_load(text, source)
    if top is None:
        raise InputError(f"{source}: the file is empty")
    _check_values(top, "", source, None)
    r.mapping(top, "(top)", {"format", "document", "references", "claims", "studies"}, {"format"})
    if top["format"] != FORMAT:
        raise r._at(top, "format", "(top)", f"expected {FORMAT!r}, got {top['format']!r}")
    ds = Dataset(source=source)
    if top.get("document") is not None:
        d = r.mapping(
            top["document"],
            "document",
            {"title", "url", "publisher", "retrieved_at", "text"},
            set(),
        )
        ds.document = DocumentData(
            **{
                k: r.text(d, k, "document")
                for k in ("title", "url", "publisher", "retrieved_at", "text")
            }
        )
        if ds.document.text is not None:
            ds.document.text = str(d["text"])  # keep the page text exactly
    ds.references = [
        _yaml_reference(r, node, f"references[{i}]")
        for i, node in enumerate(_list(r, top, "references"))
    ]
    keys = [ref.key for ref in ds.references]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise InputError(f"{source}: references: duplicate id {sorted(dupes)[0]!r}")
    ds.claims = [
        _yaml_claim(r, node, f"claims[{i}]", set(keys))
        for i, node in enumerate(_list(r, top, "claims"))
    ]
    ds.studies = [
        _yaml_study(r, node, f"studies[{i}]") for i, node in enumerate(_list(r, top, "studies"))
    ]
    return ds


def _value_problem(value: str, key: object) -> str | None:
    """Why a dataset value cannot be stored: a control character (a terminal escape …)
    anywhere, or a line break or control character in a URL."""
    if key in _URL_KEYS and (problem := url_problem(value)):
        return problem
    if ch := control_in(value.replace("\r\n", "\n")):
        return f"contains a control character ({codepoint(ch)})"
    return None


def _check_values(node: Any, path: str, source: str, line: int | None) -> None:
    """Refuse the file when any value (or key) holds a control character, naming the
    line and the key: nothing of it is stored."""

    def refuse(at: int | None, where: str, problem: str) -> InputError:
        return InputError(f"{source}{f', line {at}' if at else ''}: {where}: {problem}")

    if isinstance(node, dict):
        key_lines = getattr(node, "_key_lines", {})
        for key, value in node.items():
            at = key_lines.get(key) or getattr(node, "_line", None) or line
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (ch := control_in(key)):
                raise refuse(at, where, f"a key with a control character ({codepoint(ch)})")
            if isinstance(value, str):
                if problem := _value_problem(value, key):
                    raise refuse(at, where, problem)
            else:
                _check_values(value, where, source, at)
    elif isinstance(node, list):
        at = getattr(node, "_line", None) or line
        for i, value in enumerate(node):
            if isinstance(value, str):
                if problem := _value_problem(value, None):
                    raise refuse(at, f"{path}[{i}]", problem)
            else:
                _check_values(value, f"{path}[{i}]", source, at)


def _list(r: _Reader, top: dict, key: str) -> list:
    value = top.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise r._at(top, key, "(top)", "expected a list")
    return value


def _yaml_reference(r: _Reader, node: Any, path: str) -> ReferenceData:
    r.mapping(
        node,
        path,
        {"id", "raw", "kind", "url", "title", "pmid", "doi", "marker"},
        {"id", "raw", "kind"},
    )
    kind = r.text(node, "kind", path)
    if kind not in REFERENCE_KINDS:
        raise r._at(node, "kind", path, f"must be one of {', '.join(REFERENCE_KINDS)}")
    return ReferenceData(
        key=str(r.text(node, "id", path)),
        raw=str(node["raw"]).strip(),
        kind=kind,
        url=r.text(node, "url", path),
        title=r.text(node, "title", path),
        pmid=_pmid(r.text(node, "pmid", path), lambda m: r._at(node, "pmid", path, m)),
        doi=r.text(node, "doi", path),
        marker=r.text(node, "marker", path),
    )


_CLAIM_TEXT_FIELDS = ("kind", "condition", "intervention", "dose", "outcome", "population")


def _yaml_claim(r: _Reader, node: Any, path: str, ref_keys: set[str]) -> ClaimData:
    r.mapping(node, path, {"text", "position", "figure", "cites", *_CLAIM_TEXT_FIELDS}, {"text"})
    claim = ClaimData(text=str(node["text"]).strip())
    for key in _CLAIM_TEXT_FIELDS:
        setattr(claim, key, r.text(node, key, path))
    pos = r.number(node, "position", path)
    claim.position = int(pos) if pos is not None else None
    if node.get("figure") is not None:
        fig = r.mapping(
            node["figure"], f"{path}.figure", {"value", "unit", "qualifier", "text"}, {"value"}
        )
        claim.figure_value = r.number(fig, "value", f"{path}.figure")
        claim.figure_unit = r.text(fig, "unit", f"{path}.figure") or "%"
        claim.figure_qualifier = r.text(fig, "qualifier", f"{path}.figure") or "exact"
        claim.figure_text = r.text(fig, "text", f"{path}.figure")
        if claim.figure_qualifier not in QUALIFIERS:
            raise r._at(
                fig, "qualifier", f"{path}.figure", f"must be one of {', '.join(QUALIFIERS)}"
            )
    if node.get("cites") is not None:
        cites = node["cites"]
        if not isinstance(cites, list) or not all(isinstance(c, (str, int)) for c in cites):
            raise r._at(node, "cites", path, "expected a list of reference ids")
        missing = [str(c) for c in cites if str(c) not in ref_keys]
        if missing:
            raise r._at(node, "cites", path, f"no reference with id {missing[0]!r}")
        claim.cites = [str(c) for c in cites]
    return claim


def _yaml_study(r: _Reader, node: Any, path: str) -> StudyData:
    allowed = {
        "pmid",
        "title",
        "authors",
        "journal",
        "journal_iso",
        "year",
        "pub_date",
        "volume",
        "issue",
        "pages",
        "doi",
        "publication_types",
        "note",
    }
    r.mapping(node, path, allowed, {"pmid", "title"})
    pmid = _pmid(r.text(node, "pmid", path), lambda m: r._at(node, "pmid", path, m))
    assert pmid is not None
    year = r.number(node, "year", path)
    study = StudyData(
        pmid=pmid,
        title=str(r.text(node, "title", path)),
        year=int(year) if year is not None else None,
    )
    for key in ("journal", "journal_iso", "pub_date", "volume", "issue", "pages", "doi", "note"):
        setattr(study, key, r.text(node, key, path))
    for i, a in enumerate(node.get("authors") or []):
        apath = f"{path}.authors[{i}]"
        r.mapping(a, apath, {"last_name", "fore_name", "initials", "collective_name"}, set())
        author = AuthorData(
            **{
                k: r.text(a, k, apath)
                for k in ("last_name", "fore_name", "initials", "collective_name")
            }
        )
        if not (author.last_name or author.collective_name):
            raise r.where.error(a, apath, "needs last_name or collective_name")
        study.authors.append(author)
    types = node.get("publication_types") or []
    if not isinstance(types, list):
        raise r._at(node, "publication_types", path, "expected a list")
    study.publication_types = [str(t) for t in types]
    return study


def _read_csv(path: Path, handle: BinaryIO, source: str) -> Dataset:
    """Check every row of a CSV dataset (the same checks as when its claims are read to be
    stored), keeping only the page (named by the first row that names one) and the PMIDs
    cited; `Dataset.claims` reads the claims again."""
    document: DocumentData | None = None
    pmids: dict[str, None] = {}
    rows = 0
    stat = os.fstat(handle.fileno())
    for claim, page in _csv_rows(handle, source):
        rows += 1
        if document is None and page is not None:
            document = page
        for key in claim.cites or ():
            pmids[key] = None
    if not rows:
        raise InputError(f"{source}: no claims in the file")
    return Dataset(
        source=source,
        document=document,
        references=_PmidReferences(tuple(pmids)),
        claims=_CsvClaims(path, source, (stat.st_size, stat.st_mtime_ns), frozenset(pmids)),
    )


class _PmidReferences:
    """The PubMed references of a CSV dataset's `pmids` column, in order of first use."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys

    def __iter__(self) -> Iterator[ReferenceData]:
        for key in self.keys:
            pmid = key.removeprefix("pmid:")
            yield ReferenceData(key=key, raw=f"PMID: {pmid}", kind="pubmed", pmid=pmid)


class _CsvClaims:
    """The claims of a checked CSV file, read from it again as they are stored; a file
    that changed since it was checked is refused (the transaction then stores nothing)."""

    def __init__(
        self, path: Path, source: str, seen: tuple[int, int], keys: frozenset[str]
    ) -> None:
        self.path, self.source, self.seen, self.keys = path, source, seen, keys

    def _changed(self) -> InputError:
        return InputError(f"{self.source}: the file changed while it was being loaded")

    def __iter__(self) -> Iterator[ClaimData]:
        from ldn_evidence.services.inputs import open_regular

        with open_regular(self.path, what="a dataset file", limit=MAX_DATASET_BYTES) as handle:
            stat = os.fstat(handle.fileno())
            if (stat.st_size, stat.st_mtime_ns) != self.seen:
                raise self._changed()
            for claim, _page in _csv_rows(handle, self.source):
                if not self.keys.issuperset(claim.cites or ()):
                    raise self._changed()
                yield claim


def _csv_rows(handle: BinaryIO, source: str) -> Iterator[tuple[ClaimData, DocumentData | None]]:
    """Each row's claim, and the page the row names (None when it names none)."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        header = reader.fieldnames or []
        if "text" not in header:
            raise InputError(f"{source}, line 1: the header has no 'text' column")
        unknown = [h for h in header if h not in CSV_COLUMNS]
        if unknown:
            raise InputError(
                f"{source}, line 1: unknown column {unknown[0]!r} "
                f"(allowed: {', '.join(CSV_COLUMNS)})"
            )
        end = reader.line_num  # the header's last line
        for row in reader:
            line, end = end + 1, reader.line_num  # a row's first line (a cell may hold breaks)
            yield _csv_claim(row, source, line)
    except csv.Error as exc:  # a cell over the csv module's field size limit …
        raise InputError(f"{source}, line {reader.line_num}: not valid CSV: {exc}") from None
    finally:
        text.detach()


def _csv_claim(
    row: dict[str | Any, Any], source: str, line: int
) -> tuple[ClaimData, DocumentData | None]:
    if None in row:
        raise InputError(f"{source}, line {line}: more cells than columns")

    def err(msg: str, col: str) -> InputError:
        return InputError(f"{source}, line {line}: {col}: {msg}")

    cell = {k: (v or "").strip() for k, v in row.items()}
    joined = "".join(cell.values())
    if "\r" in joined:
        cell = {k: v.replace("\r\n", "\n") for k, v in cell.items()}
        joined = "".join(cell.values())
    # cells are stripped, so no CR LF spans two of them: one search finds any control
    if cell.get("document_url") or control_in(joined):
        for column, value in cell.items():
            if problem := _value_problem(value, column):
                raise err(problem, column)
    if not cell["text"]:
        raise err("is required", "text")
    page = None
    if cell.get("document_url") or cell.get("document_title"):
        page = DocumentData(
            url=cell.get("document_url") or None, title=cell.get("document_title") or None
        )
    claim = ClaimData(text=cell["text"])
    for key in _CLAIM_TEXT_FIELDS[1:]:
        setattr(claim, key, cell.get(key) or None)
    if cell.get("position"):
        if not cell["position"].isdigit():
            raise err(f"expected a whole number, got {cell['position']!r}", "position")
        claim.position = int(cell["position"])
    if cell.get("figure_value"):
        try:
            claim.figure_value = float(cell["figure_value"])
        except ValueError:
            raise err(f"expected a number, got {cell['figure_value']!r}", "figure_value") from None
        if not math.isfinite(claim.figure_value):  # inf / nan: not valid JSON either
            raise err(f"expected a finite number, got {cell['figure_value']!r}", "figure_value")
        claim.figure_unit = cell.get("figure_unit") or "%"
        claim.figure_qualifier = cell.get("figure_qualifier") or "exact"
        claim.figure_text = cell.get("figure_text") or None
        if claim.figure_qualifier not in QUALIFIERS:
            raise err(f"must be one of {', '.join(QUALIFIERS)}", "figure_qualifier")
    pmids = [p for p in cell.get("pmids", "").replace(",", ";").split(";") if p.strip()]
    claim.cites = []
    for p in pmids:
        pmid = _pmid(p, lambda m: err(m, "pmids"))
        assert pmid is not None
        claim.cites.append(f"pmid:{pmid}")
    return claim, page

"""Hostile XML documents, shared by the parser, `import-xml` and `fetch` tests.

Each builder takes the path of a secret local file and the base URL of a canary HTTP
server (the fake E-utilities server: any request it sees outside the E-utilities paths is
recorded with utility "unknown"), and returns the bytes of a document whose PubMed
record, if any, has PMID `PMID`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PMID = "31"


def article(title: str = "A study", abstract: str = "Plain abstract.") -> str:
    """A minimal PubMed record; `title` and `abstract` are inserted as raw markup."""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{PMID}'
        f'</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate>'
        f"<Year>2020</Year></PubDate></JournalIssue><Title>Test Journal</Title></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText>{abstract}</AbstractText>"
        f"</Abstract><Language>eng</Language></Article></MedlineCitation><PubmedData>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{PMID}</ArticleId></ArticleIdList>'
        f"</PubmedData></PubmedArticle>"
    )


def document(body: str, doctype: str = "", decl: str = '<?xml version="1.0"?>') -> bytes:
    return f"{decl}\n{doctype}\n<PubmedArticleSet>{body}</PubmedArticleSet>\n".encode()


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[Path, str], bytes]
    # "refuse": must be refused (ParseError / exit 1); "either": refused or parsed safely
    expect: str = "either"


def _xxe_file(secret: Path, canary: str) -> bytes:
    doctype = f'<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    return document(article("Title &xxe; end", "Abstract &xxe;"), doctype)


def _xxe_http(secret: Path, canary: str) -> bytes:
    doctype = f'<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "{canary}canary/entity">]>'
    return document(article("Title &xxe; end"), doctype)


def _xxe_parameter(secret: Path, canary: str) -> bytes:
    doctype = (
        f'<!DOCTYPE PubmedArticleSet [<!ENTITY % remote SYSTEM "{canary}canary/param.dtd">'
        f'<!ENTITY % local SYSTEM "file://{secret}"> %remote; %local;]>'
    )
    return document(article(), doctype)


def _external_dtd(secret: Path, canary: str) -> bytes:
    doctype = (
        f'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        f'"{canary}canary/pubmed_250101.dtd">'
    )
    return document(article(), doctype)


def _external_dtd_system_http(secret: Path, canary: str) -> bytes:
    return document(article(), f'<!DOCTYPE PubmedArticleSet SYSTEM "{canary}canary/system.dtd">')


def _external_dtd_file(secret: Path, canary: str) -> bytes:
    return document(article(), f'<!DOCTYPE PubmedArticleSet SYSTEM "file://{secret}">')


def _xinclude(secret: Path, canary: str) -> bytes:
    xi = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" '
        f'parse="text"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'href="{canary}canary/xinclude" parse="text"/>'
    )
    return document(article(f"Title {xi} end", xi))


def _billion_laughs(secret: Path, canary: str) -> bytes:
    ents = '<!ENTITY lol0 "lollollollollollollollollollol">'
    for i in range(1, 10):
        ents += f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'
    return document(article("&lol9;", "&lol9;"), f"<!DOCTYPE PubmedArticleSet [{ents}]>")


def _quadratic(secret: Path, canary: str) -> bytes:
    doctype = f'<!DOCTYPE PubmedArticleSet [<!ENTITY a "{"A" * 50_000}">]>'
    return document(article("&a;" * 20_000), doctype)


def _deep(secret: Path, canary: str) -> bytes:
    depth = 100_000
    return document(article("<i>" * depth + "deep" + "</i>" * depth))


def _deep_outside(secret: Path, canary: str) -> bytes:
    depth = 100_000
    return document("<x>" * depth + "</x>" * depth + article())


def _utf16_declared_utf8_bytes(secret: Path, canary: str) -> bytes:
    return document(article("Caf\u00e9 study"), decl='<?xml version="1.0" encoding="UTF-16"?>')


def _latin1_declared_utf8(secret: Path, canary: str) -> bytes:
    record = article("Caf\u00e9 study")
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>{record}</PubmedArticleSet>\n'
    )
    return text.encode("latin-1")


def _not_xml(secret: Path, canary: str) -> bytes:
    return b'{"error":"API rate limit exceeded","count":"5","limit":"3"}\n'


def _html(secret: Path, canary: str) -> bytes:
    return b"<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>\n"


def _binary(secret: Path, canary: str) -> bytes:
    return bytes(range(256)) * 64


HOSTILE = [
    Hostile("external-entity-file", _xxe_file),
    Hostile("external-entity-http", _xxe_http),
    Hostile("parameter-entities", _xxe_parameter),
    Hostile("external-dtd-http", _external_dtd),
    Hostile("external-dtd-system-http", _external_dtd_system_http),
    Hostile("external-dtd-file", _external_dtd_file),
    Hostile("xinclude", _xinclude),
    Hostile("billion-laughs", _billion_laughs, "refuse"),
    Hostile("quadratic-blowup", _quadratic, "refuse"),
    Hostile("deep-nesting-in-record", _deep, "refuse"),
    Hostile("deep-nesting-outside-record", _deep_outside, "refuse"),
    Hostile("utf16-declared-utf8-bytes", _utf16_declared_utf8_bytes, "refuse"),
    Hostile("latin1-bytes-declared-utf8", _latin1_declared_utf8, "refuse"),
    Hostile("json-not-xml", _not_xml, "refuse"),
    Hostile("html-page", _html, "refuse"),
    Hostile("binary", _binary, "refuse"),
]

# Text values longer than this mean an entity was expanded (a bomb let through).
MAX_FIELD = 100_000

HUGE_TEXT_BYTES = 100 * 1024 * 1024


def huge_text_node_chunks(size: int = HUGE_TEXT_BYTES) -> Iterator[bytes]:
    """A document whose abstract is one text node of `size` bytes, in pieces."""
    head, tail = article("Huge", "\0").encode().split(b"\0")
    yield b'<?xml version="1.0"?>\n<PubmedArticleSet>' + head
    piece = b"naltrexone " * 10_000
    written = 0
    while written < size:
        yield piece
        written += len(piece)
    yield tail + b"</PubmedArticleSet>\n"


def write_huge(path: Path) -> Path:
    with path.open("wb") as fh:
        for chunk in huge_text_node_chunks():
            fh.write(chunk)
    return path

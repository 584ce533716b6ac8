r"""BibTeX: the cited studies (deduplicated) as @article entries, written by bibtexparser 2.

Values are kept in UTF-8 (biber, Zotero and JabRef read it) with the characters special
to (La)TeX escaped, so a title with `{`, `%` or `&` neither breaks the file nor the
document that cites it. Braces become `\textbraceleft{}` / `\textbraceright{}`, not
`\{`: classic BibTeX and biber count braces whatever backslash precedes them, so every
field's braces stay balanced and a `}` in a title cannot close the field early. `url`
and `doi` are verbatim fields in biblatex: they are not backslash-escaped, and the few
characters that could break the file are percent-encoded. Control characters are dropped.
`title` has no closing period (styles add one); `annote` (kept as a note by reference
managers, printed by no ordinary style) lists the claims that cite the study and their
verdicts; `note` keeps the retraction and correction flags, which a bibliography prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser.middlewares import default_unparse_stack
from bibtexparser.model import Entry, Field

from ldn_evidence.export.bibdata import (
    bare_title,
    bibliography,
    date_parts,
    page_range,
)
from ldn_evidence.textsafe import strip_controls
from ldn_evidence.viewmodel import Author, Report, StudyRecord

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")
_BETWEEN = "\n\n"  # what bibtexparser.write_string puts between two entries
_VERBATIM_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", "\n": "", "\r": ""}
# bibtexparser's own unparse stack, changing the library it writes instead of a deep copy
# of it (the copy cost a third of the export): each entry's library is made to be written.
_UNPARSE = default_unparse_stack(allow_inplace_modification=True)


def latex_escape(text: str) -> str:
    """One pass, so the braces of `\\textbackslash{}` are not escaped again."""
    text = strip_controls(" ".join(text.split()))
    return _SPECIAL.sub(lambda m: _LATEX[m.group(0)], text)


def verbatim(text: str) -> str:
    return "".join(_VERBATIM_UNSAFE.get(ch, ch) for ch in text.strip())


def bibtex_name(author: Author) -> str:
    if author.literal:
        return "{" + latex_escape(author.literal) + "}"  # braces: a name not to be split
    family = latex_escape(author.family or "")
    given = latex_escape(author.given or author.initials or "")
    if " and " in f" {family} ":
        family = "{" + family + "}"
    return f"{family}, {given}" if given else family


def bibtex_entry(study: StudyRecord, key: str, claims: list[str] | None = None) -> Entry:
    parts = date_parts(study)
    notes = ["Retracted publication" if f == "retracted" else f for f in study.flags]
    text_fields = {
        "author": " and ".join(bibtex_name(a) for a in study.authors if a.family or a.literal),
        "title": latex_escape(bare_title(study.title)),
        "journal": latex_escape(study.journal or study.journal_iso or ""),
        "shortjournal": latex_escape(study.journal_iso or ""),
        "year": str(study.year) if study.year else "",
        "month": str(parts[1]) if len(parts) > 1 else "",
        "volume": latex_escape(study.volume or ""),
        "number": latex_escape(study.issue or ""),
        "pages": latex_escape(page_range(study.pages, "--") or ""),
        "issn": latex_escape(study.issn or ""),
        "language": latex_escape(study.language or ""),
        "abstract": latex_escape(study.abstract or ""),
        "pmid": study.pmid,
        "pmcid": latex_escape(study.pmcid or ""),
        "note": latex_escape("; ".join(notes)),
        "annote": latex_escape(" | ".join(claims or [])),
    }
    fields = [Field(name, value) for name, value in text_fields.items() if value]
    if study.doi:
        fields.append(Field("doi", verbatim(study.doi)))
    fields.append(Field("url", verbatim(study.url)))
    return Entry("article", key, fields)


def render_bibtex(report: Report) -> bytes:
    return b"".join(chunks_bibtex(report))


def chunks_bibtex(report: Report) -> Iterator[bytes]:
    """An entry at a time, each study as first cited (`bibliography`), separated as
    bibtexparser separates the entries of a library."""
    for n, (study, key, notes) in enumerate(bibliography(report)):
        library = bibtexparser.Library()
        library.add(bibtex_entry(study, key, notes))
        text = bibtexparser.write_string(library, unparse_stack=_UNPARSE)
        yield (text if n == 0 else _BETWEEN + text).encode("utf-8")

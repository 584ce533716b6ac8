"""Bibliographic fields shared by the RIS, BibTeX and CSL-JSON writers.

Citation keys (`younger2013lowdose`), page ranges ("529-38" -> 529, 538), publication
dates ("2009 May-Jun" -> [2009, 5]) and titles without PubMed's closing period (citation
styles add their own) from a `StudyRecord`; and the notes each study carries into a
reference manager: the claims that cite it and their verdicts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence

from ldn_evidence.viewmodel import Citing, Report, StudyName, StudyRecord

# Letters NFKD does not take apart.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)
_STOPWORDS = frozenset(
    "a an the of on in for and or to with by at from as is are was were do does be "
    "its it this that than into via".split()
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


def ascii_fold(text: str) -> str:
    """ "Łukasz Ñúñez" -> "Lukasz Nunez"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        .encode("ascii", "ignore")
        .decode()
    )


def _token(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def base_key(study: StudyRecord | StudyName) -> str:
    """ "younger2013lowdose": the first author's family name (or a group's first word),
    the year and the title's first word that is not a stopword, ASCII-folded."""
    if isinstance(study, StudyRecord):
        study = StudyName.of(study)
    name = _token(study.family or "") or _token((study.literal or "").split(" ")[0])
    words = (_token(w) for w in re.split(r"\s+", study.title or ""))
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    return f"{name or 'anon'}{study.year or 'nd'}{word}"


def citation_keys(studies: Sequence[StudyRecord]) -> dict[str, str]:
    """PMID -> citation key. Keys that would collide all get "-PMID" appended, so a key
    depends only on its study and on whether another exported study shares its base."""
    return keys_from_bases({s.pmid: base_key(s) for s in studies})


def keys_from_bases(bases: dict[str, str]) -> dict[str, str]:
    """`citation_keys` from each study's `base_key`, by PMID."""
    counts = Counter(bases.values())
    return {pmid: key if counts[key] == 1 else f"{key}-{pmid}" for pmid, key in bases.items()}


def split_pages(pages: str | None) -> tuple[str | None, str | None]:
    """ "529-38" -> ("529", "538"); "e1234" -> ("e1234", None); "S1-S5" -> ("S1", "S5")."""
    if not pages:
        return None, None
    first = re.split(r"[,;]", pages)[0].strip()
    parts = re.split(r"\s*[-–—]\s*", first, maxsplit=1)
    start = parts[0] or None
    end = parts[1] if len(parts) > 1 and parts[1] else None
    if start and end and start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end  # PubMed abbreviates: 529-38 is 529-538
    return start, end


def page_range(pages: str | None, dash: str = "-") -> str | None:
    start, end = split_pages(pages)
    if start is None:
        return None
    return f"{start}{dash}{end}" if end else start


def date_parts(study: StudyRecord) -> list[int]:
    """[year] or [year, month] or [year, month, day] from PubMed's printed date.

    "2009 May-Jun" gives [2009, 5]; a season ("2010 Winter") gives the year only.
    """
    if study.year is None:
        return []
    parts = [study.year]
    text = (study.pub_date or "").lower()
    tokens = re.findall(r"[a-z]+|\d+", text)
    month = None
    day = None
    for i, token in enumerate(tokens):
        if token[:3] in _MONTHS:
            month = _MONTHS[token[:3]]
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following.isdigit() and 1 <= int(following) <= 31:
                day = int(following)
            break
    if month is not None:
        parts.append(month)
        if day is not None:
            parts.append(day)
    return parts


def bare_title(title: str | None) -> str:
    """The title without PubMed's closing period ("… pilot study." -> "… pilot study"),
    as citation styles add their own; "?", "!" and an ellipsis are kept."""
    text = " ".join((title or "").split())
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def note_line(citing: Citing) -> str:
    """The claim, its page, the verdict, who reached it, the reason and the reviewer's
    note, on one line."""
    where = f" (document {citing.document_id})" if citing.document_id is not None else ""
    line = f"Claim {citing.claim_id}{where}: “{_clip(citing.claim_text)}” — verdict: "
    line += citing.verdict.replace("_", " ")
    if citing.verdict_origin == "reviewer":
        line += f" (reviewer{': ' + citing.checked_by if citing.checked_by else ''})"
    if citing.reason:
        line += f"; why: {_clip(citing.reason)}"
    if citing.note:
        line += f"; note: {_clip(citing.note)}"
    return line


def claim_notes(report: Report) -> dict[str, list[str]]:
    """PMID -> one line per claim that cites the study (`note_line`)."""
    return {c.study.pmid: [note_line(x) for x in c.citing] for c in report.cited()}


def bibliography(report: Report) -> Iterator[tuple[StudyRecord, str, list[str]]]:
    """Each cited study in order of first citation, with its citation key
    (`citation_keys`) and its claims' notes (`note_line`).

    Two passes: the first counts the keys' bases (`Report.study_names`), keeping only
    the bases that more than one study shares; the second writes each study of
    `Report.cited` as it comes. No study, key or note is held beyond the one being
    written, so a streamed report's bibliography holds the bases alone, whatever the
    number of claims."""
    counts = Counter(base_key(name) for name in report.study_names())
    shared = {base for base, n in counts.items() if n > 1}
    del counts
    for cited in report.cited():
        study = cited.study
        base = base_key(study)
        key = f"{base}-{study.pmid}" if base in shared else base
        yield study, key, [note_line(c) for c in cited.citing]

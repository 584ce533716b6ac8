"""CSV: one row per claim–source pair, safe to open in a spreadsheet.

A claim with no source gets one row with empty source columns. The claim's last `evidence`
run is three claim columns (its day, its summary line, the stronger studies' PMIDs), empty
when there is none. Columns added later come after the first ones, so a spreadsheet built
on the old columns still reads them. Every cell
that a spreadsheet would read as a formula (starts with = + - @ |, their full-width forms, a
tab or a carriage return) is prefixed with a single quote (OWASP "CSV injection"); control
characters other than tab and newline are dropped. `excel=True` adds a UTF-8 BOM so
Excel reads non-ASCII names correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ldn_evidence.export.present import day, level_label, verdict_reason
from ldn_evidence.textsafe import strip_controls
from ldn_evidence.viewmodel import (
    CitationEntry,
    ClaimEntry,
    Report,
    StrongerEvidence,
    StudyRecord,
)

COLUMNS = (
    "document_id",
    "claim_id",
    "claim_position",
    "claim_text",
    "figure",
    "citation_origin",
    "source_kind",
    "source",
    "pmid",
    "doi",
    "title",
    "journal",
    "year",
    "citation",
    "level",
    "flags",
    "record_version",
    "verdict",
    "deciding_sentence",
    "reviewer",
    "checked_at",
    "reason",
    "note",
    "condition",
    "intervention",
    "dose",
    "outcome",
    "population",
    "design",
    "participants",
    "level_rule",
    "evidence_run",
    "stronger_evidence",
    "stronger_pmids",
)
# ASCII and full-width: spreadsheets in East Asian locales take U+FF1D (＝) for "=", and
# "|" (either width) starts a DDE command in some of them.
_FORMULA_START = ("=", "+", "-", "@", "|", "\t", "\r", "＝", "＋", "－", "＠", "｜")


def neutralise(value: object) -> str:
    """The cell as text without control characters (terminal escapes), with a leading
    quote when a spreadsheet would run it."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text.isascii() and text.isprintable():  # most cells: no control character to drop
        return "'" + text if text.startswith(_FORMULA_START) else text
    if text.startswith(_FORMULA_START):  # before stripping: "\r=…" keeps its quote
        return "'" + strip_controls(text)
    text = strip_controls(text)  # after: "\x1b=…" would start with "=" once stripped
    return "'" + text if text.startswith(_FORMULA_START) else text


def _claim_cells(claim: ClaimEntry) -> dict[str, object]:
    return {
        "document_id": claim.document_id,
        "claim_id": claim.id,
        "claim_position": claim.position,
        "claim_text": claim.text,
        "figure": claim.figure_label,
        "condition": claim.condition,
        "intervention": claim.intervention,
        "dose": claim.dose,
        "outcome": claim.outcome,
        "population": claim.population,
    } | _evidence_cells(claim)


def _evidence_cells(claim: ClaimEntry) -> dict[str, object]:
    """The claim's last `evidence` run, on each of its rows: the run's day, the summary
    line, and the stronger studies' PMIDs best first (none of them cited by the page)."""
    ev = claim.stronger_evidence
    return {} if ev is None else _run_values(ev)


def _run_values(ev: StrongerEvidence) -> dict[str, object]:
    return {
        "evidence_run": day(ev.ran_at),
        "stronger_evidence": ev.summary,
        "stronger_pmids": "; ".join(s.pmid for s in ev.stronger),
    }


def _source_cells(citation: CitationEntry) -> dict[str, object]:
    study = citation.study
    ref = citation.reference
    cells: dict[str, object] = {
        "citation_origin": citation.origin_label,
        "source_kind": citation.source_kind,
        "source": ref.raw if ref is not None else "",
        "verdict": citation.verdict,
        "deciding_sentence": citation.evidence_sentence,
        "reviewer": citation.reviewer,
        "checked_at": citation.checked_at,
        "reason": verdict_reason(citation),
        "note": citation.note,
    }
    if study is not None:
        cells |= _study_values(study)
    elif ref is not None:
        cells |= {"pmid": ref.pmid, "doi": ref.doi, "title": ref.title or ref.url}
    return cells


def _study_values(study: StudyRecord) -> dict[str, object]:
    return {
        "pmid": study.pmid,
        "doi": study.doi,
        "title": study.title,
        "journal": study.journal_iso or study.journal,
        "year": study.year,
        "citation": study.citation,
        "level": level_label(study),
        "flags": "; ".join(study.flags),
        "record_version": study.record_version,
        "design": study.design,
        "participants": study.modifiers.get("participants"),
        "level_rule": study.level_rule,
    }


# A cited study's own columns, in `COLUMNS` order: the first nine side by side (pmid …
# record_version), the last three later (design, participants, level_rule).
STUDY_COLUMNS = (*COLUMNS[8:17], *COLUMNS[28:31])
SEP = '","'  # between two cells of a line (every cell quoted)
END = '"\r\n'


def quoted(value: object) -> str:
    """The cell as the writer puts it between its quotes: neutralised, quotes doubled."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text.isascii() and text.isprintable():  # `neutralise`'s common case, inline
        if text.startswith(_FORMULA_START):
            text = "'" + text
    else:
        text = neutralise(text)
    return text.replace('"', '""') if '"' in text else text


def line(cells: Iterable[str]) -> str:
    """A row of `quoted` cells as the writer writes it (`csv.QUOTE_ALL`, CRLF)."""
    return '"' + SEP.join(cells) + END


def study_cells(study: StudyRecord) -> tuple[str, str]:
    """The study's cells as a row citing it holds them (`quoted`, in `STUDY_COLUMNS`
    order), as two runs joined by `SEP`: its first nine cells and its last three (what
    `services.study_cells` stores)."""
    values = _study_values(study)
    cells = [quoted(values[name]) for name in STUDY_COLUMNS]
    return SEP.join(cells[:9]), SEP.join(cells[9:])


def evidence_cells(ev: StrongerEvidence | None) -> list[str]:
    """A claim's last `evidence` run's three cells (evidence_run, stronger_evidence,
    stronger_pmids), `quoted`; empty without one."""
    if ev is None:
        return ["", "", ""]
    return [quoted(v) for v in _run_values(ev).values()]


_INDEX = {name: i for i, name in enumerate(COLUMNS)}


def rows(report: Report) -> Iterator[list[str]]:
    """Each row's cells in `COLUMNS` order, neutralised: a claim's own cells made once for
    all of its rows, each source's written over them."""
    for claim in report.all_claims():
        base = _filled([""] * len(COLUMNS), _claim_cells(claim))  # "": neutralise(None)
        if not claim.citations:
            yield base
        for citation in claim.citations:
            yield _filled(base.copy(), _source_cells(citation))


def _filled(cells: list[str], values: dict[str, object]) -> list[str]:
    """`cells` with each value that is not None neutralised into its column."""
    index = _INDEX
    for name, value in values.items():
        if value is not None:
            cells[index[name]] = neutralise(value)
    return cells


def render_csv(report: Report, *, excel: bool = False) -> bytes:
    return b"".join(chunks_csv(report, excel=excel))


def chunks_csv(
    report: Report, *, excel: bool = False, rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """The CSV file, `rows_per_chunk` rows at a time."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    if excel:
        yield "\ufeff".encode()
    lines = report.table_lines()  # read straight from the database, when it can be
    if lines is not None:
        for n, text in enumerate(lines, start=1):
            buffer.write(text)
            if n % rows_per_chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")
        return
    for n, row in enumerate(rows(report), start=1):
        writer.writerow(row)
        if n % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")

"""Retraction Watch: the CSV read row by row, notices stored idempotently, matched to
studies by PMID and DOI, and the flags they give."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import sqlalchemy as sa

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.services.retraction_csv import COLUMNS, BadRow, NoticeRow, read_notices
from ldn_evidence.services.retractions import import_retractions
from ldn_evidence.services.views import notice_flags
from tests.helpers.workflows import units

SAMPLE = Path(__file__).parent / "fixtures" / "retraction-watch-sample.csv"
HEADER = ",".join(COLUMNS)


def _row(record: str, nature: str, *, doi: str = "", pmid: str = "0", date: str = "") -> str:
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "Record ID": record,
            "Title": "A paper",
            "RetractionDate": date,
            "OriginalPaperDOI": doi,
            "OriginalPaperPubMedID": pmid,
            "RetractionNature": nature,
        }
    )
    return ",".join(values[c] for c in COLUMNS)


def _csv(tmp_path: Path, *rows: str, name: str = "rw.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# ---- reading the CSV ------------------------------------------------------------------------


def test_the_sample_reads_as_five_notices_and_five_bad_rows() -> None:
    items = list(read_notices(SAMPLE))
    notices = [i for i in items if isinstance(i, NoticeRow)]
    bad = [i for i in items if isinstance(i, BadRow)]
    assert [n.record_id for n in notices] == [61001, 61002, 61003, 61004, 61005]
    assert [(b.line, b.message.split(" ")[0]) for b in bad] == [
        (8, "unknown"),
        (9, "5"),
        (10, "Record"),
        (11, "RetractionDate"),
        (12, "OriginalPaperPubMedID"),
    ]
    first, second, _, reinstated, correction = notices
    assert first.nature == "retraction"
    assert first.original_doi == "10.1002/art.37734"  # DOIs kept lower-case
    assert first.original_pmid is None  # "0" is no PMID
    assert first.notice_date == "2026-03-09" and first.original_date == "2013-02-01"
    assert first.reasons == ["Concerns/Issues About Data", "Investigation by Journal/Publisher"]
    assert second.nature == "expression_of_concern"
    assert second.original_doi is None and second.notice_doi is None  # "unavailable"
    assert second.original_pmid == "19453963"
    assert second.notes is not None and "we are looking into it" in second.notes
    assert reinstated.nature == "reinstatement"
    assert correction.notice_date == "2024-05-02"


def test_columns_are_found_by_name_and_a_trailing_empty_column_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "rw.csv"
    path.write_text(
        f"{HEADER},\n{_row('5', 'RETRACTION', pmid='007', date='1/2/2020 0:00')},\n",
        encoding="utf-8-sig",  # a byte-order mark, as spreadsheet programs write
    )
    (notice,) = read_notices(path)
    assert isinstance(notice, NoticeRow)
    assert (notice.record_id, notice.nature, notice.original_pmid, notice.notice_date) == (
        5,
        "retraction",
        "7",
        "2020-01-02",
    )


def test_a_gzipped_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rw.csv.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert len([i for i in read_notices(path) if isinstance(i, NoticeRow)]) == 5


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("", "empty file"),
        ("Record ID,Title,Journal\n1,x,y\n", "no column 'Subject'"),
        ("just some text\n", "no column 'Record ID'"),
    ],
)
def test_a_file_that_is_not_the_csv_is_refused_before_any_row(
    tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "other.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=says):
        list(read_notices(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        list(read_notices(tmp_path / "none.csv"))
    with pytest.raises(InputError, match="directory"):
        list(read_notices(tmp_path))


# ---- the flags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notices", "flags"),
    [
        ([("2020-01-01", 1, "retraction")], ["retracted"]),
        ([("2020-01-01", 1, "retraction"), ("2021-01-01", 2, "reinstatement")], ["reinstated"]),
        (  # listed out of order: the concern came first in time, so it is lifted
            [("2021-01-01", 2, "reinstatement"), ("2020-01-01", 1, "expression_of_concern")],
            ["reinstated"],
        ),
        (
            [("2022-01-01", 3, "retraction"), ("2021-01-01", 2, "reinstatement")],
            ["retracted"],
        ),
        (
            [("2020-01-01", 1, "expression_of_concern"), ("2020-02-01", 2, "correction")],
            ["expression of concern", "correction"],
        ),
    ],
)
def test_notice_flags_in_date_order(notices: list[tuple[str, int, str]], flags: list[str]) -> None:
    assert notice_flags(notices) == flags


# ---- storing --------------------------------------------------------------------------------


def _count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT COUNT(*) FROM retraction_notices")).scalar_one())


def test_import_is_idempotent_and_updates_changed_rows(engine: sa.Engine, tmp_path: Path) -> None:
    bad: list[BadRow] = []
    first = import_retractions(units=units(engine), path=SAMPLE, on_bad_row=bad.append)
    assert (first.rows, first.new, first.updated, first.unchanged, first.bad_rows) == (
        5,
        5,
        0,
        0,
        5,
    )
    assert len(bad) == 5
    again = import_retractions(units=units(engine), path=SAMPLE)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert _count(engine) == 5
    changed = _csv(tmp_path, _row("61005", "Retraction", doi="10.1234/paper.2"))
    third = import_retractions(units=units(engine), path=changed)
    assert (third.new, third.updated, third.unchanged) == (0, 1, 0)
    with engine.connect() as conn:
        nature = conn.execute(
            sa.text("SELECT nature FROM retraction_notices WHERE record_id = 61005")
        ).scalar_one()
    assert nature == "retraction" and _count(engine) == 5


def test_chunks_and_a_record_twice_in_one_file(engine: sa.Engine, tmp_path: Path) -> None:
    rows = [_row(str(i), "Correction", doi=f"10.1/{i}") for i in range(1, 8)]
    rows.append(_row("3", "Retraction", doi="10.1/3"))  # the later row wins
    summary = import_retractions(units=units(engine), path=_csv(tmp_path, *rows), chunk_size=3)
    assert (summary.rows, summary.new, summary.updated) == (8, 7, 1)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT record_id, nature FROM retraction_notices"))
        natures = {rid: nature for rid, nature in rows}
    assert natures[3] == "retraction" and natures[4] == "correction"


def test_studies_are_matched_by_pmid_and_by_doi_in_any_case(
    engine: sa.Engine, tmp_path: Path
) -> None:
    from ldn_evidence.db import session_scope
    from ldn_evidence.models import Study
    from ldn_evidence.services.studies import get_study
    from ldn_evidence.services.views import study_detail

    with session_scope(engine) as s:
        s.add_all(
            [
                Study(pmid="111", doi="10.5555/ABC.1", title="Matched by DOI"),
                Study(pmid="222", doi=None, title="Matched by PMID"),
                Study(pmid="333", doi="10.5555/other", title="Not named"),
            ]
        )
    path = _csv(
        tmp_path,
        _row("1", "Retraction", doi="10.5555/abc.1", date="3/1/2024 0:00"),
        _row("2", "Expression of concern", pmid="222"),
        _row("3", "Correction", doi="10.5555/later", pmid="444"),
    )
    summary = import_retractions(units=units(engine), path=path)
    assert [(f.pmid, f.flags) for f in summary.flagged_studies] == [
        ("111", ["retracted"]),
        ("222", ["expression of concern"]),
    ]
    with session_scope(engine) as s:  # a study stored after the import is flagged too
        s.add(Study(pmid="444", title="Fetched later"))
    with session_scope(engine) as s:
        one = study_detail(get_study(session=s, pmid="111"))
        later = study_detail(get_study(session=s, pmid="444"))
        other = study_detail(get_study(session=s, pmid="333"))
    assert one.flags == ["retracted"]
    (notice,) = one.retraction_notices
    assert (notice.record_id, notice.nature, notice.date, notice.matched_by) == (
        1,
        "retraction",
        "2024-03-01",
        "doi",
    )
    assert later.flags == ["correction"] and later.retraction_notices[0].matched_by == "pmid"
    assert other.flags == [] and other.retraction_notices == []

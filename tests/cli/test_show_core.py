"""`claims show`, `studies show` and `documents show` read Core rows (`services.show_rows`)
and show exactly what the ORM reading of the same rows shows (`claims.get_claim`,
`studies.get_study` with `fulltext.full_text_for` and all its passages loaded,
`documents.get_document`: kept as this test's oracle), for every claim, study and page of
varied databases: the seed, with reviewers' verdicts (events), Retraction Watch notices,
full texts (open, withheld, none), a study without an abstract, curated studies, pages
with unresolved and not-found references, and the export's hostile texts. Neither command
imports the ORM."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ldn_evidence.db import make_engine, read_scope, session_scope
from ldn_evidence.errors import NotFoundError
from ldn_evidence.export.formats import FORMATS
from ldn_evidence.models import tables
from tests.conftest import Cli
from tests.eutils_server import make_article
from tests.helpers.jats import make_pmc_article

FIXTURES = Path(__file__).parents[1]
FULL_TEXT = FIXTURES / "pubmed" / "fixtures" / "fulltext.nxml"
NOTICES = FIXTURES / "services" / "fixtures" / "retraction-watch-sample.csv"
ABSTRACT = "Ten women with widespread pain took low-dose naltrexone. Sleep was recorded."


def _shown(read: Callable[[], Any]) -> str:
    """What a show command is given to print: the view's repr (every field, with its type:
    text and --json follow from it), or the one-line error."""
    try:
        return repr(read())
    except NotFoundError as exc:
        return f"NotFoundError: {exc}"


def _orm_views(url: str, claims: list[int], pmids: list[str], docs: list[int]) -> dict[str, str]:
    from ldn_evidence.services.claims import get_claim
    from ldn_evidence.services.documents import get_document
    from ldn_evidence.services.entries import document_detail
    from ldn_evidence.services.fulltext import full_text_for
    from ldn_evidence.services.fulltext_views import full_text_brief, full_text_view
    from ldn_evidence.services.studies import get_study
    from ldn_evidence.services.views import claim_detail, study_detail

    engine = make_engine(url, create=False)
    shown: dict[str, str] = {}

    def each(key: str, read: Callable[[Any], Any]) -> None:
        with session_scope(engine) as s:  # a session a command, as the commands had
            shown[key] = _shown(lambda: read(s))

    def full_text(s: Any, pmid: str) -> Any:
        study = get_study(session=s, pmid=pmid)
        row = full_text_for(session=s, study=study)
        if row is None or row.status != "open":
            return ("no full text", study.pmcid, full_text_brief(row) if row else None)
        return full_text_view(row)

    for i in claims:
        each(f"claims show {i}", lambda s, i=i: claim_detail(get_claim(session=s, claim_id=i)))
    for p in pmids:
        each(f"studies show {p}", lambda s, p=p: study_detail(*_with_full_text(s, p)))
        each(f"studies show {p} --full-text", lambda s, p=p: full_text(s, p))
    for d in docs:
        each(
            f"documents show {d}",
            lambda s, d=d: document_detail(get_document(session=s, document_id=d)),
        )
    engine.dispose()
    return shown


def _with_full_text(s: Any, pmid: str) -> tuple[Any, Any]:
    """The study and the brief of its full text, every passage loaded and counted here
    (`show_rows.full_text_summary` has the database count them)."""
    from ldn_evidence.services.fulltext import full_text_for
    from ldn_evidence.services.fulltext_views import full_text_brief
    from ldn_evidence.services.studies import get_study

    study = get_study(session=s, pmid=pmid)
    row = full_text_for(session=s, study=study)
    return study, full_text_brief(row) if row is not None else None


def _core_views(url: str, claims: list[int], pmids: list[str], docs: list[int]) -> dict[str, str]:
    from ldn_evidence.services import show_rows
    from ldn_evidence.services.entries import document_detail
    from ldn_evidence.services.fulltext_views import full_text_brief, full_text_view
    from ldn_evidence.services.views import claim_detail, study_detail

    engine = make_engine(url, create=False)
    shown: dict[str, str] = {}

    def each(key: str, read: Callable[[Any], Any]) -> None:
        with read_scope(engine) as conn:
            shown[key] = _shown(lambda: read(conn))

    def full_text(conn: Any, pmid: str) -> Any:  # as `studies show --full-text` reads it
        study = show_rows.read_study(conn=conn, pmid=pmid)
        row = show_rows.read_full_text(conn=conn, study=study)
        if row is None or row.status != "open":
            return ("no full text", study.pmcid, full_text_brief(row) if row else None)
        return full_text_view(row)

    for i in claims:
        each(
            f"claims show {i}",
            lambda c, i=i: claim_detail(show_rows.read_claim(conn=c, claim_id=i)),
        )
    for p in pmids:
        each(
            f"studies show {p}",
            lambda c, p=p: study_detail(
                st := show_rows.read_study(conn=c, pmid=p),
                show_rows.full_text_summary(conn=c, study=st),
            ),
        )
        each(f"studies show {p} --full-text", lambda c, p=p: full_text(c, p))
    for d in docs:
        each(
            f"documents show {d}",
            lambda c, d=d: document_detail(show_rows.read_document(conn=c, document_id=d)),
        )
    engine.dispose()
    return shown


def _everything(url: str) -> tuple[list[int], list[str], list[int]]:
    """Every claim, study and page stored, and one of each that is not."""
    engine = make_engine(url, create=False)
    with read_scope(engine) as conn:
        claims = list(conn.scalars(select(tables.claims.c.id).order_by(tables.claims.c.id)))
        pmids = list(conn.scalars(select(tables.studies.c.pmid).order_by(tables.studies.c.pmid)))
        docs = list(conn.scalars(select(tables.source_documents.c.id)))
    engine.dispose()
    return [*claims, max(claims, default=0) + 1], [*pmids, "99999999"], [*docs, max(docs) + 1]


def _same_both_ways(url: str) -> dict[str, str]:
    claims, pmids, docs = _everything(url)
    core = _core_views(url, claims, pmids, docs)
    orm = _orm_views(url, claims, pmids, docs)
    assert core.keys() == orm.keys()
    for key in core:
        assert core[key] == orm[key], key
    return core


@pytest.fixture
def varied(cli: Cli, tmp_path: Path, seed_file: Path) -> str:
    """The seed, reviewers' verdicts, notices, full texts, and studies of every kind (on
    SQLite, and on PostgreSQL when configured)."""
    records = tmp_path / "pubmed.xml"
    records.write_bytes(
        b"<PubmedArticleSet>"
        + make_article("9000001", "Low-dose naltrexone for widespread pain", ABSTRACT,
                       pmcid="PMC7000001", doi="10.1234/Paper.1",
                       publication_types=("Journal Article", "Randomized Controlled Trial"),
                       links=[("ErratumIn", "9000009", "Pain 2021;1:2")])
        + make_article("9000002", "A study PMC withholds", ABSTRACT, pmcid="PMC7000002",
                       links=[("RetractionIn", "9000008", None)])
        + make_article("9000003", "A study without an abstract")
        + make_article("31000000", "A study Retraction Watch names", ABSTRACT,
                       doi="10.1234/paper.1")
        + b"</PubmedArticleSet>"
    )  # fmt: skip
    closed = tmp_path / "closed.nxml"
    closed.write_bytes(make_pmc_article("PMC7000002", "9000002", open_access=False))
    steps = [
        ("load", str(seed_file)),
        ("import-xml", str(records)),
        ("import-pmc", str(FULL_TEXT), str(closed)),
        ("import-retractions", str(NOTICES)),
        ("claims", "cite", "4", "9000001"),
        ("claims", "cite", "4", "9000003"),
        ("claims", "check", "4", "9000001", "--verdict", "supported", "--note", "Table 2"),
        ("claims", "check", "4", "9000001", "--verdict", "not_supported", "--by", "ann"),
        ("claims", "check", "4", "23359310", "--verdict", "partially_supported"),
        ("claims", "add", "Sleep improved in 45% of women taking LDN."),
        ("claims", "add", "LDN is well tolerated."),
        ("claims", "cite", "7", "31000000"),
    ]
    for step in steps:
        result = cli(*step)
        assert result.exit_code == 0, (step, result.output)
    return cli.url


@pytest.mark.slow
def test_a_varied_database_shows_the_same_both_ways(varied: str) -> None:
    shown = _same_both_ways(varied)
    every = "\n".join(shown.values())
    # what the data was made to hold is shown, so the comparison compared it
    assert "EventView(" in every and "new_verdict='not_supported'" in every
    assert "RetractionNoticeView(" in every and "'expression of concern'" in every
    assert "FullTextView(" in every and "'no full text', 'PMC7000002', FullTextBrief(" in every
    assert "has_abstract=False" in every and "'curated (not fetched)'" in every
    assert "'erratum'" in every and "'retracted'" in every
    assert "NotFoundError: no claim with id" in every
    assert "NotFoundError: no study with PMID 99999999" in every
    assert "NotFoundError: no document with id" in every
    assert sum(k.startswith("documents show") for k in shown) >= 2


@pytest.mark.slow
def test_the_export_databases_show_the_same_both_ways(tmp_path: Path) -> None:
    """The hostile texts of the export tests, and the page with every red flag (references
    not found, resolved but not fetched, web pages, an unsourced claim)."""
    from tests.export.hostile import build_export_db
    from tests.export.review_db import build_review_db

    hostile = build_export_db(tmp_path)
    hostile.engine.dispose()
    shown = _same_both_ways(hostile.url)
    assert any("RedFlag(" in v for k, v in shown.items() if k.startswith("documents show"))
    review = build_review_db(tmp_path)
    review.engine.dispose()
    shown = _same_both_ways(f"sqlite:///{tmp_path / 'review.db'}")
    every = "\n".join(shown.values())
    assert "status='not_found'" in every and "study_stored=False" in every


# ---- the commands themselves: what they print, and what they import ---------------------------

_PROBE = r"""
import json, sys
from ldn_evidence.cli import app_for

args = json.loads(sys.argv[1])
try:
    app_for(args)(args, prog_name="ldn-evidence")
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({"code": code, "orm": "sqlalchemy.orm" in sys.modules,
                  "mapped": "ldn_evidence.models.documents" in sys.modules}), file=sys.stderr)
"""


def _run_alone(url: str, *args: str) -> tuple[dict[str, Any], str, str]:
    probe, out, err = _run_alone_bytes(url, *args)
    return probe, out.decode().replace("\r\n", "\n"), err


def _run_alone_bytes(url: str, *args: str) -> tuple[dict[str, Any], bytes, str]:
    """The command in a process of its own: the probe's findings, the bytes on stdout, the
    lines on stderr."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(["--db", url, *args])],
        capture_output=True,
        check=False,
    )
    *errors, probe = proc.stderr.decode().strip().splitlines()
    return json.loads(probe), proc.stdout, "\n".join(errors)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("claims", "show", "4"),
        ("claims", "show", "4", "--json"),
        ("claims", "show", "999"),
        ("studies", "show", "9000001"),
        ("studies", "show", "9000001", "--json"),
        ("studies", "show", "9000001", "--full-text"),
        ("studies", "show", "9000002", "--full-text"),
        ("studies", "show", "x12"),
        ("documents", "show", "1"),
        ("documents", "show", "1", "--json"),
        ("documents", "show", "7"),
        ("db", "current"),
    ],
    ids=" ".join,
)
def test_a_show_command_imports_no_orm_and_prints_what_the_orm_reading_gives(
    varied: str, args: tuple[str, ...]
) -> None:
    probe, out, err = _run_alone(varied, *args)
    assert not probe["orm"] and not probe["mapped"], args
    assert (probe["code"], out, err) == _as_the_orm_reading_prints(varied, args)


def _as_the_orm_reading_prints(url: str, args: tuple[str, ...]) -> tuple[int, str, str]:
    """The exit code, output and error the command gives with the ORM reading swapped in
    for its Core reading (`show_rows`): the same process, another reader."""
    code = (
        "import json, sys\n"
        "from ldn_evidence.services import show_rows\n"
        f"sys.path.insert(0, {str(Path(__file__).parents[2])!r})\n"
        "from tests.cli.test_show_core import orm_readers\n"
        "orm_readers(show_rows)\n" + _PROBE.split("\n", 2)[2]
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(["--db", url, *args])],
        capture_output=True,
        text=True,
        check=False,
    )
    *errors, probe = proc.stderr.strip().splitlines()
    assert json.loads(probe)["orm"]  # the ORM did read
    return json.loads(probe)["code"], proc.stdout, "\n".join(errors)


def orm_readers(show_rows: Any) -> None:
    """Replace `show_rows`' readers by the ORM's: each opens its own session on the
    connection's engine (the readers' rows are read in one session, as the commands did)."""
    from ldn_evidence.services import documents, fulltext, studies
    from ldn_evidence.services.claims import get_claim
    from ldn_evidence.services.fulltext_views import full_text_brief

    sessions: dict[int, Any] = {}

    def session_for(conn: Any) -> Any:
        from sqlalchemy.orm import Session

        if id(conn) not in sessions:
            sessions[id(conn)] = Session(bind=conn)
        return sessions[id(conn)]

    show_rows.read_claim = lambda *, conn, claim_id: get_claim(
        session=session_for(conn), claim_id=claim_id
    )
    show_rows.read_study = lambda *, conn, pmid: studies.get_study(
        session=session_for(conn), pmid=pmid
    )
    show_rows.read_full_text = lambda *, conn, study: fulltext.full_text_for(
        session=session_for(conn), study=study
    )
    show_rows.full_text_summary = lambda *, conn, study: (
        lambda row: full_text_brief(row) if row is not None else None
    )(fulltext.full_text_for(session=session_for(conn), study=study))
    show_rows.read_document = lambda *, conn, document_id: documents.get_document(
        session=session_for(conn), document_id=document_id
    )


# ---- export: Core rows (`report_stream` on `db.read_scope`); the report built whole, the oracle --


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        *(("export", "-f", name) for name in FORMATS),
        ("export", "-f", "json", "--claim", "4"),
        ("export", "-f", "csv", "--document", "1", "--verdict", "not_supported"),
        ("export", "-f", "html", "--pmid", "31000000"),
        ("export", "-f", "ris", "--pmid", "9000001"),
        ("export", "-f", "csv", "--pmid", "99999999"),
        ("export", "-f", "json", "--claim", "999"),
    ],
    ids=" ".join,
)
def test_export_imports_no_orm_and_writes_the_report_built_whole(
    varied: str, args: tuple[str, ...]
) -> None:
    """Every format, with filters and with unknown ids: what the command writes, on the
    stream read as Core rows, is what `build_report` (the ORM oracle) renders, at one of
    the seconds the command ran in (the JSON, Markdown and HTML say when)."""
    from datetime import UTC, datetime, timedelta

    from ldn_evidence.export import render
    from ldn_evidence.services.report import build_report

    started = datetime.now(UTC).replace(microsecond=0)
    probe, out, err = _run_alone_bytes(varied, *args)
    ended = datetime.now(UTC)
    assert not probe["orm"] and not probe["mapped"], args
    options = dict(zip(args[3::2], args[4::2], strict=True))
    filters = {
        "document_ids": [int(options["--document"])] if "--document" in options else None,
        "claim_ids": [int(options["--claim"])] if "--claim" in options else None,
        "verdict": options.get("--verdict"),
        "pmids": [options["--pmid"]] if "--pmid" in options else None,
    }
    engine = make_engine(varied, create=False)
    try:
        with session_scope(engine) as s:
            if probe["code"] != 0:
                with pytest.raises(NotFoundError) as found:
                    build_report(session=s, **filters)  # type: ignore[arg-type]
                assert (out, err) == (b"", f"Error: {found.value}")
                return
            assert probe["code"] == 0, err
            moments = []
            moment = started
            while moment <= ended + timedelta(seconds=1):
                moments.append(moment)
                moment += timedelta(seconds=1)
            reports = [
                render(build_report(session=s, generated_at=m, **filters), args[2])  # type: ignore[arg-type]
                for m in moments
            ]
    finally:
        engine.dispose()
    assert out in reports, args

"""`claims list`, `studies list` and `documents list` read Core rows
(`services.list_rows`) and list exactly what the ORM reading of the same rows lists
(`claims.iter_claims(brief=True)`, `studies.iter_studies`, and the pages as entities:
kept as this test's oracle), with every filter, sort and page, on varied databases (the
show tests' database: reviewers' verdicts, Retraction Watch notices, curated studies,
studies without an abstract; the export's hostile texts and red-flag page). Neither
command imports the ORM."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ldn_evidence.db import make_engine, read_scope, session_scope
from ldn_evidence.errors import EvidenceError
from ldn_evidence.models import tables
from ldn_evidence.vocab import LEVEL_KEYS, VERDICTS
from tests.cli.test_show_core import _run_alone, varied  # noqa: F401  (a fixture)

SORTS = ("position", "id", "figure", "created", "updated")


def _claim_filters(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url, create=False)
    with read_scope(engine) as conn:
        docs = list(conn.scalars(select(tables.source_documents.c.id)))
    engine.dispose()
    return [
        *({"sort": sort} for sort in SORTS),
        *({"verdict": verdict} for verdict in VERDICTS),
        *({"level": level} for level in LEVEL_KEYS),
        *({"document_id": doc} for doc in [*docs, max(docs) + 1]),
        {"unsourced": True},
        {"search": "naltrexone"},
        {"search": "PAIN", "sort": "figure"},
        {"search": "zz-nothing"},
    ]


STUDY_FILTERS: list[dict[str, Any]] = [
    {},
    *({"level": level} for level in LEVEL_KEYS),
    {"retracted": True},
    {"search": "naltrexone"},
    {"publication_type": "randomized controlled trial "},
    {"publication_type": "Retracted Publication"},
    {"year": 2013},
]
PAGES: list[dict[str, Any]] = [{}, {"offset": 1, "limit": 2}, {"offset": 3}, {"limit": 1}]


def _shown(read: Any) -> str:
    try:
        return repr(list(read()))
    except EvidenceError as exc:
        return f"{type(exc).__name__}: {exc}"


def _same_both_ways(url: str) -> str:
    """Every filter and page of both lists, and the documents, read both ways; all that
    was listed."""
    from ldn_evidence.services import list_rows
    from ldn_evidence.services.claim_query import claims_query
    from ldn_evidence.services.claims import iter_claims
    from ldn_evidence.services.studies import iter_studies
    from ldn_evidence.services.views import claim_brief, study_brief

    engine = make_engine(url, create=False)
    listed = []
    cases = [
        ("claims", f, p, claims_query, iter_claims, claim_brief, list_rows.claim_briefs)
        for f in _claim_filters(url)
        for p in PAGES
    ] + [
        (
            "studies",
            f,
            p,
            list_rows.studies_query,
            iter_studies,
            study_brief,
            list_rows.study_briefs,
        )
        for f in STUDY_FILTERS
        for p in PAGES
    ]
    for case in cases:
        listed.append(_one_case(engine, *case))
    with session_scope(engine) as s:
        orm_docs = repr(_orm_documents(s))
    with read_scope(engine) as conn:
        core_docs = repr(list_rows.list_documents(conn=conn))
    assert core_docs == orm_docs
    engine.dispose()
    return "\n".join([*listed, core_docs])


def _one_case(
    engine: Any,
    what: str,
    filters: dict[str, Any],
    page: dict[str, Any],
    query_of: Any,
    orm_read: Any,
    view: Any,
    core_read: Any,
) -> str:
    from ldn_evidence.services.list_rows import count

    extra = {"brief": True} if what == "claims" else {}

    def orm_rows(s: Any) -> Any:
        return (view(x) for x in orm_read(session=s, query=query_of(**filters), **extra, **page))

    with session_scope(engine) as s:  # the oracle: entities, each made a view
        orm = _shown(lambda: orm_rows(s))
    with read_scope(engine) as conn:  # batches of two: several batches a list
        core = _shown(lambda: core_read(conn=conn, query=query_of(**filters), size=2, **page))
        if not core.startswith("InputError"):
            every = list(core_read(conn=conn, query=query_of(**filters)))
            assert count(conn=conn, query=query_of(**filters)) == len(every)
    assert core == orm, (what, filters, page)
    return core


def _orm_documents(session: Any) -> list[Any]:
    """The pages as entities, with their counts from the claims and references loaded."""
    from ldn_evidence.models import SourceDocument
    from ldn_evidence.services.list_rows import document_row
    from ldn_evidence.services.views import is_unsourced

    docs = session.scalars(select(SourceDocument).order_by(SourceDocument.id))
    return [
        document_row(
            d, len(d.claims), len(d.references), sum(1 for c in d.claims if is_unsourced(c))
        )
        for d in docs
    ]


@pytest.mark.slow
def test_a_varied_database_lists_the_same_both_ways(varied: str) -> None:  # noqa: F811
    listed = _same_both_ways(varied)
    # what the data was made to hold is listed, so the comparison compared it
    assert "'retracted'" in listed and "'expression of concern'" in listed
    assert "'curated (not fetched)'" in listed and "has_abstract=False" in listed
    assert "verdict='not_supported'" in listed and "verdict_origin='reviewer'" in listed
    assert "unsourced_claims=" in listed
    assert "InputError: unknown level" not in listed


@pytest.mark.slow
def test_the_export_databases_list_the_same_both_ways(tmp_path: Path) -> None:
    from tests.export.hostile import build_export_db
    from tests.export.review_db import build_review_db

    hostile = build_export_db(tmp_path)
    hostile.engine.dispose()
    _same_both_ways(hostile.url)
    review = build_review_db(tmp_path)
    review.engine.dispose()
    _same_both_ways(f"sqlite:///{tmp_path / 'review.db'}")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "oracle"),
    [
        (("claims", "list", "--json"), {}),
        (("claims", "list", "--json", "--level", "rct", "--offset", "1"), {"level": "rct"}),
        (("claims", "list", "--json", "--search", "pain", "--sort", "id"), {}),
        (("studies", "list", "--json"), {}),
        (("studies", "list", "--json", "--retracted"), {"retracted": True}),
        (("documents", "list", "--json"), {}),
        (("claims", "list"), None),
        (("studies", "list", "--limit", "2"), None),
        (("documents", "list"), None),
        (("claims", "list", "--verdict", "maybe"), None),
        (("studies", "list", "--level", "gold"), None),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else "",
)
def test_a_list_command_imports_no_orm(
    varied: str,  # noqa: F811
    args: tuple[str, ...],
    oracle: dict[str, Any] | None,
) -> None:
    """Each list in a process of its own: no ORM imported, its JSON what the ORM reading
    lists, a bad filter one line and exit 1."""
    probe, out, err = _run_alone(varied, *args)
    assert not probe["orm"] and not probe["mapped"], args
    if "maybe" in args or "gold" in args:
        assert probe["code"] == 1 and out == "" and err.startswith("Error: unknown")
        return
    assert probe["code"] == 0 and err == "", err
    if oracle is None:
        assert out  # a table, piped: every row
        return
    assert json.loads(out) == _orm_json(varied, args, oracle)


def _orm_json(url: str, args: tuple[str, ...], filters: dict[str, Any]) -> Any:
    from ldn_evidence.services.claim_query import claims_query
    from ldn_evidence.services.claims import iter_claims
    from ldn_evidence.services.list_rows import studies_query
    from ldn_evidence.services.studies import iter_studies
    from ldn_evidence.services.views import claim_brief, study_brief

    options = dict(zip(args[3::2], args[4::2], strict=False))
    engine = make_engine(url, create=False)
    with session_scope(engine) as s:
        if args[0] == "claims":
            query = claims_query(
                search=options.get("--search"), sort=options.get("--sort", "position"), **filters
            )
            offset = int(options.get("--offset", 0))
            rows: list[Any] = [
                claim_brief(c)
                for c in iter_claims(session=s, query=query, brief=True, offset=offset)
            ]
        elif args[0] == "studies":
            rows = [study_brief(x) for x in iter_studies(session=s, query=studies_query(**filters))]
        else:
            rows = _orm_documents(s)
    engine.dispose()
    return json.loads(json.dumps([asdict(r) for r in rows]))

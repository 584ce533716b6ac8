"""`load`'s bulk path (services/bulk_load.py) stores exactly what the ORM path stored.

The ORM path is kept here as the oracle (`orm_load`: one object and one flush per
reference, claim and citation, through `linking.cite` and `linking.attach_studies`, as
`load` did before the bulk path). Each test loads the same datasets through both, the
oracle on a SQLite file and the bulk path on each engine, and compares every row of every
table (ids included; creation and update times aside), the summaries and the errors.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.db import make_engine, session_scope
from ldn_evidence.errors import InputError
from ldn_evidence.models import Claim, Reference, SourceDocument, Study, all_tables
from ldn_evidence.services import bulk_load, loading
from ldn_evidence.services.dataset import (
    ClaimData,
    Dataset,
    DocumentData,
    ReferenceData,
    StudyData,
    read_dataset,
)
from ldn_evidence.services.linking import attach_studies, cite, mark_not_in_pubmed
from ldn_evidence.services.loading import LoadSummary, load_dataset
from tests.conftest import copy_sqlite_at_head

TIMES = {"created_at", "updated_at"}


# --- the oracle: `load` as it was, one ORM object and flush at a time ----------------


def orm_load(session: Session, dataset: Dataset) -> LoadSummary:
    summary = LoadSummary(source=dataset.source)
    for study_data in dataset.studies:
        loading.store_curated_study(session=session, data=study_data, summary=summary)
    session.flush()
    document = loading._document(session, dataset.document, summary)
    refs: dict[str, Reference] = {}
    for pos, ref in enumerate(dataset.references, start=1):
        refs[ref.key] = _orm_reference(session, document, ref, pos, summary)
    session.flush()
    attach_studies(session=session, pmids=[r.pmid for r in refs.values() if r.pmid])
    for pos, claim_data in enumerate(dataset.claims, start=1):
        claim = _orm_claim(session, document, claim_data, pos, summary)
        if claim_data.cites is None:
            targets, origin = list(refs.values()), "page"
        else:
            targets, origin = [refs[k] for k in claim_data.cites], "claim"
        for reference in targets:
            _, created = cite(session=session, claim=claim, reference=reference, origin=origin)
            if created:
                summary.count("citations", True)
    session.flush()
    summary.document_id = document.id if document is not None else None
    return summary


def _orm_reference(
    session: Session, doc: SourceDocument | None, data: ReferenceData, pos: int, summary: Any
) -> Reference:
    same_doc = Reference.document_id == doc.id if doc else Reference.document_id.is_(None)
    ref = session.scalars(select(Reference).where(same_doc, Reference.raw == data.raw)).first()
    values = {
        "kind": data.kind,
        "url": data.url,
        "title": data.title,
        "pmid": data.pmid,
        "doi": data.doi,
        "marker": data.marker,
        "position": pos,
        "status": "web" if data.kind == "web" else ("resolved" if data.pmid else "unresolved"),
    }
    if ref is None:
        ref = Reference(document=doc, raw=data.raw, **values)
        session.add(ref)
        summary.count("references", True)
    else:
        if values["status"] == "resolved" and ref.pmid == data.pmid:
            if ref.status in ("resolved", "not_found"):
                values.pop("status")
        if "status" in values and values["status"] != ref.status:
            values["error"] = None
        if loading._set(ref, values):
            summary.count("references", False)
    return ref


def _orm_claim(
    session: Session, doc: SourceDocument | None, data: ClaimData, pos: int, summary: Any
) -> Claim:
    query = select(Claim).where(Claim.text == data.text)
    query = (
        query.where(Claim.document_id == doc.id)
        if doc
        else query.where(Claim.document_id.is_(None))
    )
    claim = session.scalars(query).first()
    values = {
        "position": data.position if data.position is not None else pos,
        "kind": data.kind,
        "condition": data.condition,
        "intervention": data.intervention,
        "dose": data.dose,
        "outcome": data.outcome,
        "population": data.population,
        "figure_value": data.figure_value,
        "figure_unit": data.figure_unit,
        "figure_qualifier": data.figure_qualifier,
        "figure_text": data.figure_text,
    }
    if claim is None:
        claim = Claim(document=doc, text=data.text, **values)
        session.add(claim)
        session.flush()
        summary.count("claims", True)
    elif loading._set(claim, values):
        summary.count("claims", False)
    return claim


# --- running both paths ---------------------------------------------------------------


def dump(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the times it was written, by id."""
    out = {}
    with engine.connect() as conn:
        for table in all_tables().sorted_tables:
            cols = [c for c in table.columns if c.name not in TIMES]
            rows = conn.execute(select(*cols).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


class Twins:
    """The oracle's database (SQLite) and the bulk path's (each engine), kept in step."""

    def __init__(self, orm: sa.Engine, bulk: sa.Engine) -> None:
        self.orm, self.bulk = orm, bulk

    def load(self, dataset: Callable[[], Dataset]) -> tuple[Any, Any]:
        """Load a fresh copy of the dataset through each path; (oracle's, bulk's) outcome:
        the summary's counts in order, or the error."""
        outcomes = []
        for engine, run in ((self.orm, orm_load), (self.bulk, loading._load)):
            original = loading._load
            loading._load = run  # type: ignore[assignment]
            try:
                with session_scope(engine) as session:
                    s = load_dataset(session=session, dataset=dataset())
                outcomes.append((list(s.created.items()), list(s.updated.items()), s.document_id))
            except InputError as exc:
                outcomes.append(("error", str(exc)))
            finally:
                loading._load = original  # type: ignore[assignment]
        return outcomes[0], outcomes[1]

    def both(self, action: Callable[[Session], object]) -> None:
        for engine in (self.orm, self.bulk):
            with session_scope(engine) as session:
                action(session)

    def check(self, dataset: Callable[[], Dataset]) -> Any:
        orm, bulk = self.load(dataset)
        assert bulk == orm
        assert dump(self.bulk) == dump(self.orm)
        return bulk


@pytest.fixture
def twins(engine: sa.Engine, sqlite_at_head: Path, tmp_path: Path) -> Iterator[Twins]:
    url = f"sqlite:///{tmp_path / 'oracle.db'}"
    copy_sqlite_at_head(sqlite_at_head, url)
    orm = make_engine(url)
    yield Twins(orm, engine)
    orm.dispose()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(bulk_load, "CHUNK", 4)
    return 4


# --- datasets -------------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    import csv

    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, columns)
        out.writeheader()
        out.writerows(rows)
    return path


def test_seed_and_reload(twins: Twins, seed_file: Path) -> None:
    first = twins.check(lambda: read_dataset(seed_file))
    assert first[0] == [
        ("studies", 2),
        ("documents", 1),
        ("references", 3),
        ("claims", 5),
        ("citations", 15),
    ]
    again = twins.check(lambda: read_dataset(seed_file))
    assert again == ([], [], first[2])


@pytest.mark.parametrize("n", [3, 4, 5, 8, 9])  # CHUNK 4: one chunk less one … two plus one
@pytest.mark.slow
def test_chunk_boundaries_with_duplicates(
    twins: Twins, small_chunks: int, tmp_path: Path, n: int
) -> None:
    rows = [
        {
            "text": f"Claim {i % (n - 1)} cut pain",  # the last repeats the first
            "condition": "pain" if i % 2 else "fatigue",
            "figure_value": str(i),
            "pmids": f"{100 + i % 3};{100 + (i + 1) % 3}",
            "document_url": "https://page.example/bench" if i == n - 1 else "",
        }
        for i in range(n)
    ]
    path = write_csv(tmp_path / "claims.csv", rows)
    outcome = twins.check(lambda: read_dataset(path))
    assert (dict(outcome[0])["claims"], dict(outcome[1])["claims"]) == (n - 1, 1)
    # a file saying two things of one claim: each load sets one, then the other, as before
    assert twins.check(lambda: read_dataset(path)) == ([], [("claims", 2)], outcome[2])


def test_duplicates_within_and_across_chunks(twins: Twins, small_chunks: int) -> None:
    refs = [ReferenceData(key=f"r{i}", raw=f"Ref {i % 3}", kind="pubmed", pmid=str(200 + i % 4))
            for i in range(7)]  # fmt: skip
    claims = [
        ClaimData(text=f"Claim {i % 5}", position=None if i % 3 else 1, cites=cites)
        for i, cites in enumerate([None, ["r0"], ["r1", "r1"], None, ["r6", "r2"], ["r3"]] * 2)
    ]
    studies = [StudyData(pmid="201", title="Curated 201"), StudyData(pmid="203", title="C")]

    def dataset() -> Dataset:
        return Dataset("d.yaml", DocumentData(title="A page"), refs, claims, studies)

    twins.check(dataset)
    twins.check(dataset)


def test_existing_rows_are_found_updated_and_linked(twins: Twins, small_chunks: int) -> None:
    """A stored page, studies of every origin, a PMID PubMed has no record of, a citation
    to a study only, references of another page with the same PMIDs."""
    page = DocumentData(url="https://page.example/a", title="A")

    def first() -> Dataset:
        refs = [
            ReferenceData("a", "PMID 301", "pubmed", pmid="301"),
            ReferenceData("b", "PMID 302", "pubmed", pmid="302"),
            ReferenceData("c", "A web page", "web", url="https://web.example/"),
        ]
        claims = [ClaimData(f"Claim {i}", cites=[["a"], ["b", "c"], []][i % 3]) for i in range(9)]
        return Dataset("a.yaml", page, refs, claims)

    twins.check(first)
    twins.check(lambda: Dataset("b.yaml", DocumentData(title="B"), first().references))

    def setup(session: Session) -> None:
        session.add(Study(pmid="302", title="From PubMed", origin="efetch"))
        session.add(Study(pmid="303", title="Curated", origin="curated"))
        session.flush()
        mark_not_in_pubmed(session=session, pmids=["303"])
        claim = session.get(Claim, 2)
        study = session.scalars(select(Study).where(Study.pmid == "303")).one()
        assert claim is not None
        cite(session=session, claim=claim, study=study, origin="page")

    twins.both(setup)

    def second() -> Dataset:
        refs = [
            ReferenceData("a", "PMID 301", "pubmed", pmid="303", marker="1"),
            ReferenceData("b", "PMID 302", "pubmed", pmid="302"),
            ReferenceData("c", "A web page", "title", title="Now a title"),
            ReferenceData("d", "PMID 303", "pubmed", pmid="303"),
        ]
        claims = [ClaimData(f"Claim {i}", cites=None if i % 2 else ["d", "a"]) for i in range(11)]
        return Dataset("a.yaml", page, refs, claims, [StudyData("302", "Curated 302")])

    outcome = twins.check(second)
    # an unchanged claim's new citations are counted before the new claims: as before
    assert outcome[:2] == (
        [("references", 1), ("citations", 13), ("claims", 2)],
        [("references", 2)],
    )
    twins.check(second)


def test_over_long_values_are_refused_in_the_same_order(
    twins: Twins, small_chunks: int, tmp_path: Path
) -> None:
    long = "x" * 300
    cases = [
        [ClaimData("ok"), ClaimData("long", condition=long)],
        [ClaimData(f"c{i}", dose=long if i == 6 else None) for i in range(9)],
    ]
    for claims in cases:
        orm, bulk = twins.load(lambda claims=claims: Dataset("l.yaml", None, [], claims))
        assert bulk == orm and bulk[0] == "error", bulk
    refs = [ReferenceData(f"r{i}", f"R{i}", "doi", doi=long if i == 5 else None) for i in range(7)]
    claims = [ClaimData("c", dose=long)]
    orm, bulk = twins.load(lambda: Dataset("l.yaml", None, refs, claims))
    assert (
        bulk
        == orm
        == ("error", "l.yaml: field references.doi is 300 characters long; at most 255 fit")
    )
    assert dump(twins.bulk) == dump(twins.orm)


def random_dataset(rng: random.Random, source: str) -> Dataset:
    pmids = [None, "401", "402", "403", "404"]
    refs = [
        ReferenceData(
            key=f"r{i}",
            raw=rng.choice(["Ref A", "Ref B", "Ref C", "Ref D", "Ref E"]),
            kind=rng.choice(["pubmed", "title", "web", "doi"]),
            pmid=rng.choice(pmids),
            url=rng.choice([None, "https://x.example/a"]),
            marker=rng.choice([None, "1", "2"]),
        )
        for i in range(rng.randint(0, 7))
    ]
    keys = [r.key for r in refs]
    claims = [
        ClaimData(
            text=rng.choice(["A", "B", "C", "D", "E", "F", "G"]),
            position=rng.choice([None, None, 1, 9]),
            condition=rng.choice([None, "pain", "fatigue"]),
            figure_value=rng.choice([None, 30.0, 45.5]),
            cites=None if rng.random() < 0.3 else rng.sample(keys, k=rng.randint(0, len(keys))),
        )
        for _ in range(rng.randint(0, 12))
    ]
    studies = [StudyData(pmid=p, title=f"Study {p}") for p in rng.sample(pmids[1:], k=2)]
    document = rng.choice(
        [None, DocumentData(url="https://page.example/r", title="R"), DocumentData(title="T")]
    )
    return Dataset(source, document, refs, claims, studies if rng.random() < 0.5 else [])


@pytest.mark.slow  # over 1 s
@pytest.mark.parametrize("seed", range(12))
def test_random_sequences_of_loads(twins: Twins, small_chunks: int, seed: int) -> None:
    rng = random.Random(seed)
    for step in range(4):
        data = random_dataset(rng, f"r{step}.yaml")
        twins.check(lambda data=data: data)
        if rng.random() < 0.3:
            twins.both(lambda s: mark_not_in_pubmed(session=s, pmids=["402", "404"]))
        if rng.random() < 0.3:
            twins.both(_efetched_403)


def _efetched_403(session: Session) -> None:
    if session.scalar(select(Study.id).where(Study.pmid == "403")) is None:
        session.add(Study(pmid="403", title="PubMed's", origin="efetch"))


def test_a_reference_now_resolving_to_a_study_the_claim_cites(twins: Twins) -> None:
    """A claim cites two references that both come to resolve to one study: the citation
    holding the study keeps it and the other keeps its reference alone (the UNIQUE
    (claim, study) rule), on both paths, instead of failing the load."""
    page = DocumentData(url="https://page.example/u", title="U")

    def dataset(pmid_a: str) -> Callable[[], Dataset]:
        def make() -> Dataset:
            refs = [
                ReferenceData("a", "PMID 401", "pubmed", pmid=pmid_a),
                ReferenceData("b", "Ref B", "pubmed", pmid="402"),
            ]
            return Dataset("u.yaml", page, refs, [ClaimData("Claim X", cites=["b", "a"])])

        return make

    twins.check(dataset("401"))
    twins.both(lambda session: session.add(Study(pmid="402", title="T", origin="efetch")))
    twins.check(dataset("402"))
    with twins.bulk.connect() as conn:
        rows = conn.execute(sa.text("SELECT reference_id, study_id FROM citations")).all()
    assert sorted(r[1] is not None for r in rows) == [False, True]
    twins.check(dataset("402"))

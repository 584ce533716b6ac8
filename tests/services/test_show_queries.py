"""`claims show` and `studies show` read what they show (`services.show_rows`): a fixed
number of statements however many citations there are, and never a study's raw XML."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import Cli

# The seed's two studies: each cited by the seed's 5 claims; below, 3 more claims cite
# the second, one of them the first as well.
FIRST, SECOND = "23359310", "19453963"


@pytest.fixture
def stored(cli: Cli, seed_file: Path) -> Cli:
    assert cli("load", str(seed_file)).exit_code == 0
    for n, pmids in enumerate([(SECOND,), (SECOND, FIRST), (SECOND,)]):
        text = f"Claim {n}: low-dose naltrexone cut pain by {n + 20}%."
        claim_id = json.loads(cli("claims", "add", text, "--json").stdout)["id"]
        for pmid in pmids:
            assert cli("claims", "cite", str(claim_id), pmid).exit_code == 0
    return cli


def _statements(url: str, show: Callable[[Any], object]) -> list[str]:
    from ldn_evidence.db import make_engine, read_scope

    engine = make_engine(url)
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    with read_scope(engine) as conn:
        show(conn)
    engine.dispose()
    return seen


def _study(pmid: str) -> Callable[[Any], object]:
    from ldn_evidence.services.show_rows import full_text_summary, read_study
    from ldn_evidence.services.views import study_detail

    def show(conn: Any) -> object:
        study = read_study(conn=conn, pmid=pmid)
        return study_detail(study, full_text_summary(conn=conn, study=study))

    return show


def _claim(claim_id: int) -> Callable[[Any], object]:
    from ldn_evidence.services.show_rows import read_claim
    from ldn_evidence.services.views import claim_detail

    return lambda conn: claim_detail(read_claim(conn=conn, claim_id=claim_id))


@pytest.mark.slow
def test_studies_show_reads_a_fixed_number_of_statements(stored: Cli) -> None:
    six = _statements(stored.url, _study(FIRST))  # cited by 6 claims
    eight = _statements(stored.url, _study(SECOND))  # by 8
    assert len(eight) == len(six)  # the citing claims come in one statement
    assert all("raw_xml" not in x for x in eight)


def test_claims_show_reads_a_fixed_number_of_statements(stored: Cli) -> None:
    # the claims added above, with no document: one cites a study, one two studies
    claims = json.loads(stored("claims", "list", "--json").stdout)
    counts = {c["id"]: c["citations"] for c in claims if c["document_id"] is None}
    one = next(i for i, n in counts.items() if n == 1)
    many = next(i for i, n in counts.items() if n == 2)
    few = _statements(stored.url, _claim(one))
    more = _statements(stored.url, _claim(many))
    assert len(more) == len(few)  # each relationship in one statement, for every citation
    assert all("raw_xml" not in x for x in more)

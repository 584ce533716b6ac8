"""`abstract_figures.figure_values` (what the red flag "figure in no cited abstract" reads)
is `find_abstract_figures` without the sentence reading: the same figures' unit, value and
high, in the same order, on edge cases and on every abstract of a real baseline file."""

from __future__ import annotations

import pytest

from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.verification.abstract_figures import figure_values, find_abstract_figures
from tests.conftest import shared_path


def projected(abstract: str) -> list[tuple[str, float, float | None]]:
    return [(f.unit, f.value, f.high) for f in find_abstract_figures(abstract)]


@pytest.mark.parametrize(
    "abstract",
    [
        "",
        "Pain fell by 30% (18/31 patients, 58%) versus 10% with placebo; 2.5-fold; 20-40%.",
        "Eighteen of 31 (58 %) responded. Half of the patients improved. A third did not.",
        "58% (18 of 31) and 12/40; p < 0.05; 95% CI 1.2-3.4; 3 per cent; twofold.",
        "RESULTS: 45 percent of women. CONCLUSIONS: one in five.",
    ],
)
def test_the_figures_of_find_abstract_figures(abstract: str) -> None:
    assert figure_values(abstract) == projected(abstract)


@pytest.mark.slow
def test_every_baseline_abstract() -> None:
    path = shared_path("pubmed", "baseline", "pubmed20n0014.xml.gz")
    found = 0
    for record in iter_articles(path):
        if isinstance(record, ArticleRecord) and record.abstract:
            values = figure_values(record.abstract)
            assert values == projected(record.abstract), record.pmid
            found += bool(values)
    assert found > 1000  # the file exercises the figure patterns

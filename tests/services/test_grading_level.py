"""The level stored at import (`grade_record` → `grading.grade_level`, which skips the
modifiers) is the level `grade_study` gives, on every record the tests can reach: the
parser fixtures, the efetch samples and (slow) a sample of a real baseline file."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord, MeshQualifier
from ldn_evidence.services import bulk
from ldn_evidence.services.grading import grade_record
from ldn_evidence.verification.grading import grade_level, grade_rule, grade_study
from tests.conftest import shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "pubmed" / "fixtures"


def _full_level(record: ArticleRecord) -> str:
    return grade_study(
        [t.name for t in record.publication_types],
        record.title,
        record.abstract,
        [link.ref_type for link in record.links],
    ).level


def _articles(path: Path) -> list[ArticleRecord]:
    return [r for r in iter_articles(path) if isinstance(r, ArticleRecord)]


def test_fixture_records_get_the_full_grades_level() -> None:
    records = [r for path in sorted(FIXTURES.glob("*.xml")) for r in _articles(path)]
    assert records
    for record in records:
        assert grade_record(record) == _full_level(record), record.pmid
        assert bulk.prepare(record).row["evidence_level"] == _full_level(record)


def test_efetch_samples_get_the_full_grades_level() -> None:
    folder = shared_path("pubmed", "efetch")
    records = [r for path in sorted(folder.glob("*.xml*")) for r in _articles(path)]
    assert records
    for record in records:
        assert grade_record(record) == _full_level(record), record.pmid


# Every branch of the level: retraction (type or link), Phase III/IV with and without
# "randomised", a Multicenter Study with and without cohort words, a review that is a
# Mendelian randomisation or a pooled analysis, animals only, no design at all.
CASES = [
    (["Randomized Controlled Trial"], "Forty patients.", []),
    (["Randomized Controlled Trial"], "Forty patients.", ["RetractionIn"]),
    (["Retracted Publication", "Meta-Analysis"], "", []),
    (["Journal Article"], "", ["ErratumIn", "ExpressionOfConcernIn"]),
    (["Clinical Trial, Phase III"], "Patients were randomized to LDN.", []),
    (["Clinical Trial, Phase IV"], "A non-randomized study of 40 patients.", []),
    (["Clinical Trial, Phase III"], "Forty patients took part.", []),
    (["Multicenter Study"], "A retrospective cohort of 400 patients.", []),
    (["Multicenter Study"], "Forty patients.", []),
    (["Meta-Analysis"], "A Mendelian randomization of 12 cohorts.", []),
    (["Systematic Review"], "A pooled analysis of randomized trials.", []),
    (["Meta-Analysis"], "Pooled data; we searched PubMed and Embase.", []),
    (["Journal Article"], "Naltrexone in mice and rats.", []),
    (["Comparative Study"], "In vitro, and in 12 patients.", []),
    (["Journal Article"], "", []),
    ([], "", []),
    (["  randomized   CONTROLLED trial "], "", []),
    (["Clinical Trial Protocol"], "", []),
]


@pytest.mark.parametrize(("types", "abstract", "links"), CASES)
def test_grade_level_is_grade_studys_level(
    types: list[str], abstract: str, links: list[str]
) -> None:
    title = "Low-dose naltrexone"
    grade = grade_study(types, title, abstract, links)
    assert grade_level(types, title, abstract, links) == grade.level
    assert grade_rule(types, title, abstract, links) == (grade.level, grade.rule)


@pytest.mark.slow
def test_baseline_sample_gets_the_full_grades_level() -> None:
    """Every 5th record of a real baseline file (6 000 records)."""
    path = shared_path("pubmed", "baseline", "pubmed20n0014.xml.gz")
    records = itertools.islice((r for r in _articles(path)), 0, None, 5)
    seen = levels = 0
    for record in records:
        level = grade_record(record)
        assert level == _full_level(record), record.pmid
        seen += 1
        levels += level != "unclassified"
    assert seen == 6000
    assert levels > 1000  # the sample exercises the design rules, not only "unclassified"


def test_prepare_takes_the_producers_sha256() -> None:
    (record, *_) = _articles(FIXTURES / "features.xml")
    assert bulk.prepare(record, sha256=record.sha256) == bulk.prepare(record)


def test_qualifiers_json_is_the_json_of_the_qualifiers() -> None:
    quals = (MeshQualifier("drug therapy", "Q000188", True), MeshQualifier("métabolisme", None))
    expected = [
        {"ui": "Q000188", "name": "drug therapy", "major_topic": True},
        {"ui": None, "name": "métabolisme", "major_topic": False},
    ]
    assert bulk._qualifiers_json(quals) == json.dumps(expected)
    assert bulk._qualifiers_json(()) == "null"


def test_the_package_resolves_every_public_name() -> None:
    import ldn_evidence.verification as verification

    assert sorted(verification._HOMES) == sorted(verification.__all__)
    for name in verification.__all__:
        assert getattr(verification, name) is not None
    with pytest.raises(AttributeError):
        verification.no_such_name  # noqa: B018


@pytest.mark.slow
def test_grading_alone_does_not_load_the_engine() -> None:
    """import-xml grades through `verification.grading`: the engine, its cues and word
    lists stay unloaded (they cost ~0.25 s of CPU in every process that imports)."""
    code = (
        "import sys; import ldn_evidence.verification.grading; "
        "print(sorted(m for m in sys.modules if m.startswith('ldn_evidence.verification')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out.replace("'", '"')))
    assert "ldn_evidence.verification.grading" in loaded
    assert not loaded & {
        "ldn_evidence.verification.engine",
        "ldn_evidence.verification.verdict",
        "ldn_evidence.verification.text",
    }

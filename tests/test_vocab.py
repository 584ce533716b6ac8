"""The shared vocabularies (`ldn_evidence.vocab`) and the one PMID rule, on every path."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from ldn_evidence import vocab
from ldn_evidence.vocab import VERDICTS, normalize_pmid
from tests.conftest import Cli
from tests.eutils_server import make_article

ARABIC_INDIC = "٢٧٧٩٧٩٣٨"  # 27797938 in Arabic-Indic digits
NOT_PMIDS = ["²", "-5", "+5", "27797938abc", ARABIC_INDIC, "1" * 20, "0", "000", "", " ", "1 2"]


# ---- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "pmid"),
    [
        ("27797938", "27797938"),
        (" 27797938\n", "27797938"),
        ("007", "7"),
        ("0027797938", "27797938"),
        ("1" * 19, "1" * 19),
        (27797938, "27797938"),
    ],
)
def test_a_pmid_is_normalised(value: object, pmid: str) -> None:
    assert normalize_pmid(value) == pmid


@pytest.mark.parametrize("value", [*NOT_PMIDS, None, 1.5, True, b"123"])
def test_not_a_pmid(value: object) -> None:
    assert normalize_pmid(value) is None


def test_the_module_imports_nothing_from_the_package() -> None:
    tree = ast.parse(Path(vocab.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
    assert not [m for m in imported if m.startswith("ldn_evidence")]


# ---- every copy of a value set equals the vocabulary ----------------------------------------


def _quoted(sql: str) -> tuple[str, ...]:
    """The quoted values of a CHECK: SQLite keeps `verdict IN ('a', 'b')` as written,
    PostgreSQL gives `(verdict)::text = ANY (ARRAY['a'::character varying, …])`."""
    return tuple(re.findall(r"'([^']*)'", sql))


def test_migrated_check_constraints_equal_the_vocabulary(engine: sa.Engine) -> None:
    expected = {
        ("citations", "ck_citations_verdict"): vocab.VERDICTS,
        ("citations", "ck_citations_origin"): vocab.CITATION_ORIGINS,
        ("citations", "ck_citations_verdict_origin"): vocab.VERDICT_ORIGINS,
        ("references", "ck_references_kind"): vocab.REFERENCE_KINDS,
        ("references", "ck_references_status"): vocab.RESOLUTION_STATUSES,
        ("retraction_notices", "ck_retraction_notices_nature"): vocab.RETRACTION_NATURES,
        ("study_checks", "ck_study_checks_outcome"): vocab.CHECK_OUTCOMES,
        ("study_changes", "ck_study_changes_kind"): vocab.CHANGE_KINDS,
        ("study_changes", "ck_study_changes_source"): vocab.CHANGE_SOURCES,
        ("evidence_results", "ck_evidence_results_verdict"): vocab.VERDICTS,
        ("full_texts", "ck_full_texts_status"): vocab.FULL_TEXT_STATUSES,
        ("full_text_sections", "ck_full_text_sections_kind"): vocab.SECTION_KINDS,
        ("full_text_passages", "ck_full_text_passages_kind"): vocab.PASSAGE_KINDS,
    }
    found = {}
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in {table for table, _name in expected}:
            for check in inspector.get_check_constraints(table):
                if (table, check["name"]) in expected:
                    found[(table, check["name"])] = _quoted(check["sqltext"])
    assert found == expected


def test_json_schema_verdicts_equal_the_vocabulary() -> None:
    from ldn_evidence.export.json_out import load_schema

    assert tuple(load_schema()["$defs"]["verdict"]["enum"]) == VERDICTS


def test_json_schema_red_flag_kinds_equal_the_vocabulary() -> None:
    from ldn_evidence.export.json_out import load_schema

    assert tuple(load_schema()["$defs"]["red_flag"]["properties"]["kind"]["enum"]) == (
        vocab.RED_FLAG_KINDS
    )
    assert set(vocab.RED_FLAG_LABELS) == set(vocab.RED_FLAG_KINDS)


def test_report_labels_and_tones_cover_every_verdict() -> None:
    from ldn_evidence.export.present import VERDICT_LABELS, VERDICT_TONE

    assert set(VERDICT_LABELS) == set(VERDICTS) == set(VERDICT_TONE)


def test_the_evidence_summary_says_every_verdict() -> None:
    from ldn_evidence.services.evidence_runs import VERDICT_VERBS

    assert set(VERDICT_VERBS) == set(VERDICTS)


def test_every_change_kind_and_nature_has_a_label() -> None:
    assert set(vocab.CHANGE_LABELS) == set(vocab.CHANGE_KINDS)
    assert set(vocab.RETRACTION_NATURE_LABELS) == set(vocab.RETRACTION_NATURES)


def test_every_citation_origin_has_a_label() -> None:
    assert set(vocab.CITATION_ORIGIN_LABELS) == set(vocab.CITATION_ORIGINS)


# ---- one wording for an unknown verdict --------------------------------------------------------


def test_unknown_verdict_is_worded_once(session) -> None:  # type: ignore[no-untyped-def]
    from ldn_evidence.errors import InputError
    from ldn_evidence.services.claims import list_claims
    from ldn_evidence.services.verdicts import check_verdict

    expected = vocab.unknown_verdict_message("maybe")
    assert expected.startswith("unknown verdict 'maybe'; choose one of: unchecked, supported")
    for call in (
        lambda: check_verdict("maybe"),
        lambda: list_claims(session=session, verdict="maybe"),
    ):
        with pytest.raises(InputError) as err:
            call()
        assert str(err.value) == expected


# ---- the rule on the paths where PMIDs come in ----------------------------------------------


def _error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    return line


@pytest.mark.parametrize("bad", [p for p in NOT_PMIDS if p.strip()])
def test_load_refuses_what_is_not_a_pmid(cli: Cli, tmp_path: Path, bad: str) -> None:
    yaml_file = tmp_path / "bad.yaml"
    yaml_file.write_text(
        "format: ldn-evidence/1\nreferences:\n"
        f"  - {{id: a, raw: x, kind: pubmed, pmid: {json.dumps(bad)}}}\n",
        encoding="utf-8",
    )
    assert "references[0].pmid: not a PMID" in _error(cli("load", str(yaml_file)))
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(f'text,pmids\nclaim,"{bad}"\n', encoding="utf-8")
    assert "pmids: not a PMID" in _error(cli("load", str(csv_file)))


def test_load_normalises_leading_zeros(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "claims.csv"
    f.write_text("text,pmids\nA claim citing 7.,007\n", encoding="utf-8")
    assert cli("load", str(f)).exit_code == 0
    (claim,) = json.loads(cli("claims", "list", "--json").stdout)
    detail = json.loads(cli("claims", "show", str(claim["id"]), "--json").stdout)
    assert [c["reference"]["pmid"] for c in detail["citations"]] == ["7"]
    # every command that takes a PMID reads 007 as 7
    assert json.loads(cli("export", "-f", "json", "--pmid", "007").stdout)["filters"]["pmids"] == [
        "7"
    ]


@pytest.mark.parametrize("bad", ["²", "-5", "27797938abc", ARABIC_INDIC, "1" * 20])
def test_commands_refuse_what_is_not_a_pmid(cli: Cli, bad: str) -> None:
    assert "invalid PMID" in _error(cli("fetch", "--", bad))
    assert "invalid PMID" in _error(cli("studies", "show", "--", bad))
    assert "not a PMID" in _error(cli("export", "-f", "json", "--pmid", bad))


def _xml_file(tmp_path: Path, pmid: str) -> Path:
    path = tmp_path / f"records-{len(list(tmp_path.iterdir()))}.xml"
    path.write_bytes(b"<PubmedArticleSet>" + make_article(pmid) + b"</PubmedArticleSet>")
    return path


def test_import_normalises_leading_zeros(cli: Cli, tmp_path: Path) -> None:
    assert cli("import-xml", str(_xml_file(tmp_path, "007"))).exit_code == 0
    assert json.loads(cli("studies", "show", "7", "--json").stdout)["pmid"] == "7"


@pytest.mark.parametrize("bad", ["²", "-5", "27797938abc", ARABIC_INDIC, "1" * 20])
def test_import_refuses_what_is_not_a_pmid(cli: Cli, tmp_path: Path, bad: str) -> None:
    assert "invalid PMID" in _error(cli("import-xml", str(_xml_file(tmp_path, bad))))
    assert json.loads(cli("studies", "list", "--json").stdout) == []

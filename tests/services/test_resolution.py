"""`services.resolution.STRATEGIES`: which references each way of resolving takes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ldn_evidence.services.resolution import STRATEGIES, Resolution, resolve


def _ref(kind: str, **ids: object) -> SimpleNamespace:
    fields = {"pmid": None, "pmcid": None, "doi": None, "title": None, "citation": None}
    return SimpleNamespace(kind=kind, **{**fields, **ids})


@pytest.mark.parametrize(
    ("ref", "status", "takers"),
    [
        (_ref("doi", doi="10.1/x"), "unresolved", ["idconv"]),
        (_ref("pmc", pmcid="PMC1"), "unresolved", ["idconv"]),
        (_ref("citation", citation=object(), title="T"), "unresolved", ["ecitmatch", "title"]),
        (_ref("title", title="T"), "unresolved", ["title"]),
        (_ref("title", title="T"), "not_found", ["title"]),  # after a failed citation match
        (_ref("doi", doi="10.1/x", title="T"), "not_found", ["title"]),
        (_ref("web", title="A web page"), "web", []),
        (_ref("pubmed", pmid="1"), "resolved", []),
    ],
)
def test_which_strategies_want_a_reference(ref, status: str, takers: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [s.name for s in STRATEGIES if s.wants(ref, Resolution(status))] == takers


def test_offline_nothing_is_asked() -> None:
    run = resolve([_ref("pubmed", pmid="7"), _ref("doi", doi="10.1/x"), _ref("web")], None)
    assert [(r.status, r.pmid, r.via) for r in run.resolutions] == [
        ("resolved", "7", "link"),
        ("unresolved", None, None),
        ("web", None, None),
    ]
    assert run.resolutions[1].error == "not resolved: offline"


def test_a_doi_the_id_converter_does_not_know_is_searched_in_pubmed() -> None:
    after_idconv = Resolution("not_found", via="idconv")
    doi = _ref("doi", doi="10.1/x", title="T")
    assert [s.name for s in STRATEGIES if s.wants(doi, after_idconv)] == ["doi search", "title"]
    pmc = _ref("pmc", pmcid="PMC1")
    assert [s.name for s in STRATEGIES if s.wants(pmc, after_idconv)] == []

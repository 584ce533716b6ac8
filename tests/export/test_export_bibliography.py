"""RIS, BibTeX and CSL-JSON read back with independent readers: rispy, bibtexparser
(+ LaTeX decoding) and citeproc-py rendering a CSL style."""

from __future__ import annotations

import json
import os

import bibtexparser
import citeproc
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from ldn_evidence.export import render
from ldn_evidence.export.bibdata import citation_keys, date_parts, split_pages
from ldn_evidence.export.bibtex_out import latex_escape
from ldn_evidence.export.model import Report
from tests.export.hostile import HOSTILE_ABSTRACT, HOSTILE_TITLE
from tests.helpers.bibtex import decoded, parse_decoded

PMIDS = ["23359310", "19453963", "90000001", "90000003", "90000002"]


def test_keys_stable_and_disambiguated(report: Report) -> None:
    keys = citation_keys(report.studies())
    assert keys["23359310"] == "younger2013lowdose"
    assert keys["19453963"] == "younger2009fibromyalgia"
    # Müller 2020 "Effects of …" twice: both get their PMID
    assert keys["90000001"] == "muller2020effects-90000001"
    assert keys["90000003"] == "muller2020effects-90000003"
    assert keys["90000002"] == "fraud2015fabricated"
    assert citation_keys(report.studies()) == keys


def test_pages_and_dates(report: Report) -> None:
    assert split_pages("529-38") == ("529", "538")
    assert split_pages("S1-S5") == ("S1", "S5")
    assert split_pages("e1234") == ("e1234", None)
    assert split_pages(None) == (None, None)
    trial = next(s for s in report.studies() if s.pmid == "90000001")
    assert date_parts(trial) == [2020, 3, 15]


def test_ris_reads_back(report: Report) -> None:
    text = render(report, "ris").decode("utf-8")
    entries = rispy.loads(text)
    assert [e["accession_number"] for e in entries] == PMIDS
    trial = next(e for e in entries if e["accession_number"] == "90000001")
    assert trial["type_of_reference"] == "JOUR"
    assert decoded(trial["title"]) == HOSTILE_TITLE
    assert trial["authors"][:3] == ["Müller, Hans", "Ñúñez, Ana María", "Wójcik, Łukasz"]
    assert trial["authors"][-1] == "LDN Study Group & Friends"
    assert trial["abstract"] == " ".join(HOSTILE_ABSTRACT.split())  # one line
    assert trial["doi"] == "10.1000/xyz_{1}%"
    assert trial["custom2"] == "PMC1234567"
    assert trial["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/90000001/"]
    assert (trial["start_page"], trial["end_page"]) == ("100", "109")
    assert trial["secondary_title"] == "Journal of Pain & Research"
    assert trial["date"] == "2020/03/15/"
    retracted = next(e for e in entries if e["accession_number"] == "90000002")
    assert retracted["notes"][0] == "RETRACTED PUBLICATION"
    assert retracted["title"] == "A fabricated trial of LDN"  # PubMed's period dropped
    assert "\n1.\n" not in "\n" + text  # no rispy counter lines


def test_bibtex_reads_back(report: Report) -> None:
    text = render(report, "bibtex").decode("utf-8")
    raw = bibtexparser.parse_string(text)
    assert raw.failed_blocks == []
    assert [e.key for e in raw.entries] == list(citation_keys(report.studies()).values())
    entries = {e.key: e for e in parse_decoded(text).entries}
    trial = entries["muller2020effects-90000001"]
    # the escaped title decodes back to the stored one
    assert decoded(trial["title"]) == HOSTILE_TITLE
    assert trial["abstract"] == " ".join(HOSTILE_ABSTRACT.split())
    assert trial["journal"] == "Journal of Pain & Research"
    assert trial["pages"].replace("–", "--") in ("100--109",)
    assert trial["pmid"] == "90000001" and trial["pmcid"] == "PMC1234567"
    assert trial["author"].startswith("Müller, Hans and Ñúñez, Ana María and Wójcik, Łukasz")
    raw_trial = next(e for e in raw.entries if e.key == "muller2020effects-90000001")
    assert raw_trial["doi"] == "10.1000/xyz_%7B1%7D%"  # verbatim field, braces encoded
    assert raw_trial["url"] == "https://pubmed.ncbi.nlm.nih.gov/90000001/"
    assert "{LDN Study Group \\& Friends}" in raw_trial["author"]
    assert entries["fraud2015fabricated"]["note"] == "Retracted publication"
    assert entries["fraud2015fabricated"]["title"] == "A fabricated trial of LDN"


@pytest.mark.parametrize(
    "value",
    ["a{b", "}", "100% & $5 #1 _x ~y ^z", "back\\slash{}", "Łukasz Müller", "\\textbf{x}"],
)
def test_latex_escape_round_trip(value: str) -> None:
    import bibtexparser.model as m

    library = bibtexparser.Library()
    library.add(m.Entry("article", "k", [m.Field("title", latex_escape(value))]))
    parsed = parse_decoded(bibtexparser.write_string(library))
    assert parsed.failed_blocks == []
    assert decoded(parsed.entries[0]["title"]) == value


def _style_path() -> str:
    styles = os.path.join(os.path.dirname(citeproc.__file__), "data", "styles")
    names = sorted(n for n in os.listdir(styles) if n.endswith(".csl"))
    assert names, "citeproc-py ships no CSL style"
    return os.path.join(styles, names[0])


def test_csljson_renders_with_citeproc(report: Report) -> None:
    items = json.loads(render(report, "csljson"))
    assert [i["PMID"] for i in items] == PMIDS
    trial = next(i for i in items if i["PMID"] == "90000001")
    assert trial["type"] == "article-journal"
    assert trial["issued"] == {"date-parts": [[2020, 3, 15]]}
    assert trial["author"][0] == {"family": "Müller", "given": "Hans"}
    assert trial["author"][-1] == {"literal": "LDN Study Group & Friends"}
    assert trial["page"] == "100-109"
    assert trial["URL"] == "https://pubmed.ncbi.nlm.nih.gov/90000001/"
    assert trial["PMCID"] == "PMC1234567" and trial["DOI"] == "10.1000/xyz_{1}%"
    assert trial["abstract"] == HOSTILE_ABSTRACT

    source = CiteProcJSON(items)
    style = CitationStylesStyle(_style_path(), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    joined = "\n".join(rendered)
    for needle in ("Müller", "Younger", "Fibromyalgia symptoms are reduced", "Fraud"):
        assert needle in joined, needle


# ---- the claims and verdicts that cite each study travel as notes (issue 13 item 12) -------


@pytest.fixture
def review(tmp_path):  # type: ignore[no-untyped-def]
    from tests.export.review_db import build_review_db, review_report

    db = build_review_db(tmp_path)
    yield review_report(db)
    db.engine.dispose()


def test_ris_notes_carry_claims_and_verdicts(review: Report) -> None:
    from tests.export.review_db import NOTE, PAIN_CLAIM, REASON, SLEEP_CLAIM

    entries = {e["accession_number"]: e for e in rispy.loads(render(review, "ris").decode())}
    rct = entries["91000001"]
    assert rct["title"] == (
        "Low-dose naltrexone for sleep in fibromyalgia: a randomized crossover trial"
    )
    pain, studied = rct["notes"]
    assert pain.startswith("Claim 1 (document 1): “" + PAIN_CLAIM + "” — verdict: not supported")
    assert pain.endswith(f"; why: {REASON}")
    assert studied.endswith("— verdict: unchecked")
    (sleep,) = entries["91000002"]["notes"]
    assert sleep == (
        f"Claim 2 (document 1): “{SLEEP_CLAIM}” — verdict: contradicted "
        f"(reviewer: J. Doe, PharmD); note: {NOTE}"
    )
    retracted = entries["91000003"]["notes"]
    assert retracted[0] == "RETRACTED PUBLICATION" and retracted[1].startswith("Claim 5 ")


def test_bibtex_annote_carries_claims_and_verdicts(review: Report) -> None:
    from tests.export.review_db import NOTE

    text = render(review, "bibtex").decode("utf-8")
    entries = {e["pmid"]: e for e in parse_decoded(text).entries}
    assert (
        entries["91000002"]["title"]
        == "Vitamin D and sleep: a Mendelian randomization meta-analysis"
    )
    annote = entries["91000002"]["annote"]
    assert "verdict: contradicted (reviewer: J. Doe, PharmD)" in annote and NOTE in annote
    assert " | Claim 7 (document 1)" in entries["91000001"]["annote"]
    assert "annote" not in entries.get("91000005", {})


def test_csljson_annote_carries_claims_and_is_not_printed(review: Report) -> None:
    items = json.loads(render(review, "csljson"))
    rct = next(i for i in items if i["PMID"] == "91000001")
    assert rct["title"].endswith("a randomized crossover trial")
    assert rct["annote"].splitlines()[0].startswith("Claim 1 (document 1):")
    assert len(rct["annote"].splitlines()) == 2
    source = CiteProcJSON(items)
    style = CitationStylesStyle(_style_path(), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    joined = "\n".join(str(entry) for entry in bibliography.bibliography())
    assert "a randomized crossover trial" in joined and "trial.." not in joined
    assert "verdict" not in joined  # the notes are the reviewer's, not the bibliography's

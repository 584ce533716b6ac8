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
    assert retracted["notes"] == ["RETRACTED PUBLICATION"]
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

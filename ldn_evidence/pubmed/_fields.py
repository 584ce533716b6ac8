"""Field extraction for one PubMed record element (helpers of `parser.py`).

Every function takes a fully parsed lxml element and returns plain values; nothing here
reads files or fails on unknown elements (they are skipped).

Speed: a baseline file has 30 000 records of ~100 elements each. lxml's `find()` goes
through ElementPath (~2 µs a call) while walking children is ~0.25 µs an element, so
the hot path (`article`) walks each level once and dispatches on the tag. MeSH headings
and publication types repeat across records; their immutable records are cached.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from ldn_evidence.pubmed.records import (
    AbstractSection,
    ArticleRecord,
    Author,
    DeletedCitation,
    Keyword,
    MeshQualifier,
    MeshTerm,
    PublicationType,
    StudyLink,
)
from ldn_evidence.textsafe import quoted
from ldn_evidence.vocab import normalize_pmid

_YEAR = re.compile(r"\d{4}")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_CITATION_PARTS = ("PMID", "Article", "MeshHeadingList", "KeywordList", "CommentsCorrectionsList")
_CACHE_MAX = 50_000
_mesh_cache: dict[tuple, MeshTerm] = {}
_qualifier_cache: dict[tuple, MeshQualifier] = {}
_ptype_cache: dict[tuple, PublicationType] = {}


class MissingPMIDError(ValueError):
    """A record element without a PMID, or with one that is not a PMID (`normalize_pmid`):
    the caller turns it into a ParseError."""


def text(el: etree._Element | None) -> str:
    """The element's whole text (inline markup, MathML included), whitespace collapsed."""
    if el is None:
        return ""
    if len(el):
        return " ".join("".join(el.itertext()).split())
    t = el.text
    return " ".join(t.split()) if t else ""


def opt_text(el: etree._Element | None) -> str | None:
    return text(el) or None


def first_year(s: str | None) -> int | None:
    if not s:
        return None
    m = _YEAR.search(s)
    return int(m.group()) if m else None


def pub_date(pd: etree._Element | None) -> tuple[int | None, str | None]:
    """(year, date as printed) from a `PubDate`: Year Month Day, Year Season or MedlineDate.

    The year is the first 4-digit year of what is printed ("1998 Dec-1999 Jan" → 1998).
    """
    if pd is None:
        return None, None
    year = month = day = season = None
    for c in pd:
        tag = c.tag
        if tag == "Year":
            year = _norm(c.text)
        elif tag == "Month":
            month = _norm(c.text)
        elif tag == "Day":
            day = _norm(c.text)
        elif tag == "Season":
            season = _norm(c.text)
        elif tag == "MedlineDate":
            s = text(c) or None
            return first_year(s), s
    printed = " ".join(p for p in (year, season or month, day) if p) or None
    return first_year(year), printed


def _small_int(s: str | None) -> int | None:
    """A plain number of at most 9 digits (no signs, no "²", no 5 000-digit strings)."""
    return int(s) if s and len(s) <= 9 and s.isdecimal() else None


def _month_number(s: str | None) -> int | None:
    if not s:
        return None
    return _small_int(s) if s[0].isdecimal() else _MONTHS.get(s[:3].lower())


def article_date(ad: etree._Element | None) -> tuple[int | None, str | None]:
    """(year, ISO date) of an `ArticleDate`; the ISO form only when the parts form a date."""
    if ad is None:
        return None, None
    y = m = d = None
    for c in ad:
        tag = c.tag
        if tag == "Year":
            y = text(c)
        elif tag == "Month":
            m = text(c)
        elif tag == "Day":
            d = text(c)
    year = first_year(y)
    month = _month_number(m)
    day = _small_int(d)
    if year is None or month is None or day is None:
        return year, None
    try:
        return year, date(year, month, day).isoformat()
    except ValueError:  # 2005-09-31, month 13 …
        return year, None


def orcid(raw: str | None) -> str | None:
    """Bare 0000-0000-0000-000X from the forms seen: bare, URL, without dashes."""
    if not raw:
        return None
    m = _ORCID.search(raw.upper())
    return "-".join(m.groups()) if m else None


def author(el: etree._Element) -> Author:
    last = fore = initials = collective = orc = None
    affiliations: list[str] = []
    for c in el:
        tag = c.tag
        if tag == "LastName":
            last = _norm(c.text) or None
        elif tag == "ForeName":
            fore = _norm(c.text) or None
        elif tag == "Initials":
            initials = _norm(c.text) or None
        elif tag == "CollectiveName":
            collective = text(c) or None
        elif tag == "AffiliationInfo":
            for a in c:
                if a.tag == "Affiliation":
                    t = text(a)
                    if t:
                        affiliations.append(t)
        elif tag == "Identifier":
            if orc is None and (c.get("Source") or "").upper() == "ORCID":
                orc = orcid(c.text)
        elif tag == "Affiliation":  # 2013 DTDs: directly under Author
            t = text(c)
            if t:
                affiliations.append(t)
    return Author(last, fore, initials, collective, orc, tuple(affiliations))


def authors(author_list: etree._Element | None) -> list[Author]:
    if author_list is None:
        return []
    # ValidYN="N" marks a name that is invalid as printed (NLM keeps it next to the
    # corrected one); PubMed does not display it, neither do we.
    return [author(a) for a in author_list if a.tag == "Author" and a.get("ValidYN") != "N"]


def abstract_sections(abstract: etree._Element | None) -> list[AbstractSection]:
    if abstract is None:
        return []
    out = []
    for at in abstract:
        if at.tag == "AbstractText":
            t = text(at)
            label = at.get("Label") or None
            if t or label:
                out.append(AbstractSection(t, label, at.get("NlmCategory") or None))
    return out


def article_ids(id_list: etree._Element | None, into: dict[str, str]) -> None:
    """The record's own ids (the first of each IdType wins), never a cited paper's."""
    if id_list is None:
        return
    for aid in id_list:
        if aid.tag == "ArticleId":
            kind = aid.get("IdType")
            value = aid.text
            if kind and value and kind not in into:
                value = value.strip()
                if value:
                    into[kind] = value


def publication_types(parent: etree._Element | None) -> list[PublicationType]:
    if parent is None:
        return []
    out = []
    for pt in parent:
        if pt.tag == "PublicationType":
            key = (pt.text, pt.get("UI"), len(pt))
            rec = _ptype_cache.get(key) if not key[2] else None
            if rec is None:
                name = text(pt)
                if not name:
                    continue
                rec = PublicationType(name, key[1])
                if not key[2]:
                    _remember(_ptype_cache, key, rec)
            out.append(rec)
    return out


def _remember(cache: dict, key: tuple, value):  # type: ignore[no-untyped-def]
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value
    return value


def mesh_terms(mesh_list: etree._Element | None) -> list[MeshTerm]:
    """MeshHeadings in order. One C-level pass picks the names (a DescriptorName opens a
    heading); a heading already seen (same names, UIs and flags) reuses its record."""
    if mesh_list is None:
        return []
    headings: list[list] = []
    current: list = []
    for c in mesh_list.iter("DescriptorName", "QualifierName"):
        if c.tag == "DescriptorName":
            current = [c.text, c.get("UI"), c.get("MajorTopicYN")]
            headings.append(current)
        elif headings:
            current.append((c.text, c.get("UI"), c.get("MajorTopicYN")))
    out = []
    for h in headings:
        key = tuple(h)
        term = _mesh_cache.get(key)
        if term is None:
            qualifiers = []
            for q in h[3:]:
                mq = _qualifier_cache.get(q)
                if mq is None:
                    mq = MeshQualifier(_norm(q[0]), q[1], q[2] == "Y")
                    _remember(_qualifier_cache, q, mq)
                qualifiers.append(mq)
            term = MeshTerm(_norm(h[0]), h[1], h[2] == "Y", tuple(qualifiers))
            _remember(_mesh_cache, key, term)
        out.append(term)
    return out


def _norm(t: str | None) -> str:
    return " ".join(t.split()) if t else ""


def keywords(keyword_list: etree._Element, into: list[Keyword]) -> None:
    owner = keyword_list.get("Owner")
    for kw in keyword_list:
        if kw.tag == "Keyword":
            t = text(kw)
            if t:
                into.append(Keyword(t, kw.get("MajorTopicYN") == "Y", owner))


def links(cc_list: etree._Element | None) -> list[StudyLink]:
    if cc_list is None:
        return []
    out = []
    for cc in cc_list:
        ref_type = cc.get("RefType") if cc.tag == "CommentsCorrections" else None
        if ref_type:
            pmid = source = None
            for c in cc:
                if c.tag == "PMID":
                    pmid = text(c) or None
                elif c.tag == "RefSource":
                    source = text(c) or None
            out.append(StudyLink(ref_type, pmid, source))
    return out


def _pmid(el: etree._Element | None, record: str) -> tuple[str, int]:
    written = text(el)
    if not written:
        raise MissingPMIDError(f"{record} without a PMID")
    pmid = normalize_pmid(written)
    if pmid is None:
        raise MissingPMIDError(f"{record} with an invalid PMID {quoted(written)}")
    version = el.get("Version")  # type: ignore[union-attr]
    return pmid, _small_int(version) or 1


def _journal(journal: etree._Element, rec: ArticleRecord) -> None:
    for c in journal:
        tag = c.tag
        if tag == "Title":
            rec.journal_title = _norm(c.text) or None
        elif tag == "ISOAbbreviation":
            rec.journal_iso = _norm(c.text) or None
        elif tag == "ISSN":
            if rec.issn is None:
                rec.issn = _norm(c.text) or None
        elif tag == "JournalIssue":
            for ji in c:
                tag = ji.tag
                if tag == "Volume":
                    rec.volume = _norm(ji.text) or None
                elif tag == "Issue":
                    rec.issue = _norm(ji.text) or None
                elif tag == "PubDate":
                    rec.pub_year, rec.pub_date = pub_date(ji)


def pages(pagination: etree._Element | None) -> str | None:
    """MedlinePgn as printed ("311-9"), else StartPage[-EndPage]."""
    if pagination is None:
        return None
    medline = start = end = None
    for c in pagination:
        tag = c.tag
        if tag == "MedlinePgn":
            medline = text(c) or None
        elif tag == "StartPage":
            start = text(c) or None
        elif tag == "EndPage":
            end = text(c) or None
    if medline:
        return medline
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


def article(elem: etree._Element, raw: bytes) -> ArticleRecord:
    """A `PubmedArticle` element (MedlineCitation + PubmedData) → ArticleRecord."""
    mc = pdata = None
    for c in elem:
        if c.tag == "MedlineCitation":
            mc = c
        elif c.tag == "PubmedData":
            pdata = c
    if mc is None:
        raise MissingPMIDError("PubmedArticle without MedlineCitation")
    pmid_el = art = None
    rec = ArticleRecord(pmid="", raw_xml=raw)
    for c in mc.iterchildren(_CITATION_PARTS):
        tag = c.tag
        if tag == "PMID":
            if pmid_el is None:
                pmid_el = c
        elif tag == "Article":
            art = c
        elif tag == "MeshHeadingList":
            rec.mesh_terms = mesh_terms(c)
        elif tag == "KeywordList":
            keywords(c, rec.keywords)
        elif tag == "CommentsCorrectionsList":
            rec.links = links(c)
    rec.pmid, rec.pmid_version = _pmid(pmid_el, "PubmedArticle")
    elocation_doi = _article_part(art, rec) if art is not None else None
    if pdata is not None:
        # The article's own ids; those in ReferenceList/Reference are cited papers'.
        for c in pdata.iterchildren("ArticleIdList"):
            article_ids(c, rec.article_ids)
            break
    if elocation_doi and "doi" not in rec.article_ids:
        rec.article_ids["doi"] = elocation_doi
    return rec


def _article_part(art: etree._Element, rec: ArticleRecord) -> str | None:
    """Fill `rec` from MedlineCitation/Article; returns the ELocationID DOI (a fallback)."""
    title = vernacular = elocation_doi = old_affiliation = None
    electronic = other_date = None
    for c in art:
        tag = c.tag
        if tag == "Journal":
            _journal(c, rec)
        elif tag == "ArticleTitle":
            title = c
        elif tag == "Pagination":
            rec.pages = pages(c)
        elif tag == "ELocationID":
            if elocation_doi is None and c.get("EIdType") == "doi" and c.get("ValidYN") != "N":
                elocation_doi = (c.text or "").strip() or None
        elif tag == "Abstract":
            rec.abstract_sections = abstract_sections(c)
        elif tag == "AuthorList":
            if c.get("Type") != "editors":
                rec.authors = authors(c)
        elif tag == "Language":
            t = text(c)
            if t:
                rec.languages.append(t)
        elif tag == "PublicationTypeList":
            rec.publication_types = publication_types(c)
        elif tag == "ArticleDate":
            if c.get("DateType", "Electronic") == "Electronic":
                electronic = electronic if electronic is not None else c
            elif other_date is None:
                other_date = c
        elif tag == "VernacularTitle":
            vernacular = c
        elif tag == "Affiliation":  # before 2013: the first author's affiliation
            old_affiliation = text(c) or None
    rec.title = text(title) or text(vernacular)
    ad_year, rec.article_date = article_date(electronic if electronic is not None else other_date)
    if rec.pub_year is None:  # never mixed into pub_date: only the year is borrowed
        rec.pub_year = ad_year
    if old_affiliation and rec.authors and not rec.authors[0].affiliations:
        a0 = rec.authors[0]
        rec.authors[0] = Author(
            a0.last_name, a0.fore_name, a0.initials, a0.collective_name, a0.orcid,
            (old_affiliation,),
        )  # fmt: skip
    return elocation_doi


def book(elem: etree._Element, raw: bytes) -> ArticleRecord:
    """A `PubmedBookArticle` element (BookDocument + PubmedBookData) → ArticleRecord."""
    bd = elem.find("BookDocument")
    if bd is None:
        raise MissingPMIDError("PubmedBookArticle without BookDocument")
    pmid, version = _pmid(bd.find("PMID"), "PubmedBookArticle")
    rec = ArticleRecord(pmid=pmid, pmid_version=version, kind="book", raw_xml=raw)
    bk = bd.find("Book")
    book_title = None
    if bk is not None:
        book_title = opt_text(bk.find("BookTitle"))
        publisher = bk.find("Publisher")
        if publisher is not None:
            rec.publisher = opt_text(publisher.find("PublisherName"))
        rec.pub_year, rec.pub_date = pub_date(bk.find("PubDate"))
        rec.volume = opt_text(bk.find("Volume"))
    rec.title = (
        text(bd.find("ArticleTitle")) or text(bd.find("VernacularTitle")) or (book_title or "")
    )
    rec.journal_title = book_title
    rec.abstract_sections = abstract_sections(bd.find("Abstract"))
    rec.languages = [t for t in (text(la) for la in bd.iterfind("Language")) if t]
    for al in bd.iterfind("AuthorList"):
        if al.get("Type") != "editors":
            rec.authors.extend(authors(al))
    rec.publication_types = publication_types(bd)
    for kl in bd.iterfind("KeywordList"):
        keywords(kl, rec.keywords)
    pbd = elem.find("PubmedBookData")
    if pbd is not None:
        article_ids(pbd.find("ArticleIdList"), rec.article_ids)
    article_ids(bd.find("ArticleIdList"), rec.article_ids)  # bookaccession
    return rec


def deleted(elem: etree._Element) -> DeletedCitation:
    pmids = []
    for written in (text(p) for p in elem if p.tag == "PMID"):
        if not written:
            continue
        pmid = normalize_pmid(written)
        if pmid is None:
            raise MissingPMIDError(f"DeleteCitation with an invalid PMID {quoted(written)}")
        pmids.append(pmid)
    return DeletedCitation(pmids=tuple(pmids))

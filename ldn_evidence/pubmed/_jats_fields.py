"""Field extraction for one JATS `<article>` element (helpers of `jats.py`).

Everything here takes a parsed lxml element and returns plain values; unknown elements
are walked for the paragraphs they hold, never fatal. What is kept: the front matter's
identity, title, licence and abstract; the body's sections, paragraphs (lists count as
one), tables (caption, one line of cells per row, the table's notes), figure captions;
the tables and figures of a `floats-group`; the footnotes of the body and the back. What
is left out: references (`ref-list`), acknowledgements and the rest of the back matter,
display formulas, graphics, and citation numbers (`xref ref-type="bibr"` holding a
number: "pain fell [12]" is kept as "pain fell"; "(Hites 2004)" stays).
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from ldn_evidence.pubmed.jats_records import FullTextRecord, License, Passage, Section
from ldn_evidence.vocab import PassageKind, SectionKind, normalize_pmcid, normalize_pmid

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ALI_LICENSE_REF = "{http://www.niso.org/schemas/ali/1.0/}license_ref"
NOTICE_MARK = "does not allow downloading"

# Inside a paragraph: elements that are blocks of their own (walked after the paragraph)
_NESTED_BLOCKS = frozenset(
    {"table-wrap", "table-wrap-group", "fig", "fig-group", "boxed-text", "chem-struct-wrap"}
)
# Never text: formulas set apart, pictures, references
_NOT_TEXT = frozenset(
    {"disp-formula", "disp-formula-group", "graphic", "media", "inline-graphic", "ref-list",
     "object-id", "title", "label", "sec-meta", "alt-text", "long-desc"}
)  # fmt: skip
_NOT_INLINE = _NESTED_BLOCKS | {"disp-formula", "graphic", "media", "ref-list", "alt-text"}
# Inline elements whose text is a unit of its own: a space either side
_SPACED = frozenset(
    {"list-item", "p", "def-item", "term", "def", "title", "caption", "td", "th", "break",
     "label", "list", "fn"}
)  # fmt: skip
CUT = "\ue000"  # where a citation number was (a private-use character no article uses)
_EMPTY_BRACKETS = re.compile(r"[\[(][ ,;–-]*\ue000[\ue000 ,;–-]*[\])]")
_DANGLING_BEFORE = re.compile(r"[,;][ ,;]*\ue000[\ue000 ,;–-]*([\])])")
_DANGLING_AFTER = re.compile(r"([\[(]) *\ue000[\ue000 ,;–-]*[,;] *")
_SPACE_BEFORE_PUNCT = re.compile(r" ([.,;:!?)\]])")
_CITATION_NUMBER = re.compile(r"[\d\s,;–—-]*")

_SEC_TYPES = {
    "intro": SectionKind.INTRODUCTION,
    "introduction": SectionKind.INTRODUCTION,
    "background": SectionKind.INTRODUCTION,
    "methods": SectionKind.METHODS,
    "materials": SectionKind.METHODS,
    "subjects": SectionKind.METHODS,
    "cases": SectionKind.METHODS,
    "results": SectionKind.RESULTS,
    "discussion": SectionKind.DISCUSSION,
    "conclusions": SectionKind.CONCLUSIONS,
    "conclusion": SectionKind.CONCLUSIONS,
    "supplementary-material": SectionKind.SUPPLEMENTARY,
    "coi-statement": SectionKind.DECLARATIONS,
    "funding": SectionKind.DECLARATIONS,
    "ethics-statement": SectionKind.DECLARATIONS,
    "data-availability": SectionKind.DECLARATIONS,
}
_TITLE_KINDS = tuple(
    (re.compile(rf"(?:[\dIVX]+\.?\s+)?(?:{words})\b", re.IGNORECASE), kind)
    for words, kind in (
        (r"introduction|background|rationale", SectionKind.INTRODUCTION),
        (r"materials?|methods?|methodology|patients|subjects|participants|experimental"
         r"|study design", SectionKind.METHODS),
        (r"results?|findings|outcomes", SectionKind.RESULTS),
        (r"discussion", SectionKind.DISCUSSION),
        (r"conclusions?|concluding|summary", SectionKind.CONCLUSIONS),
        (r"supplementary|supporting information|additional (?:files?|material)",
         SectionKind.SUPPLEMENTARY),
        (r"acknowledge?ments?|funding|competing|conflicts? of interest|disclosures?"
         r"|authors?'? contributions|author contributions|abbreviations|pre-publication"
         r"|declarations?|ethics|data availability|financial support|role of the funding",
         SectionKind.DECLARATIONS),
    )
)  # fmt: skip
_ANYWHERE = ((re.compile(r"\bresults?\b", re.I), SectionKind.RESULTS),
             (re.compile(r"\bdiscussion\b", re.I), SectionKind.DISCUSSION))  # fmt: skip


# ---- text -----------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Whitespace collapsed; where citation numbers were taken out (`CUT`), the brackets
    and separators they leave ("[, ]", "(Hites 2004; )") go too."""
    text = " ".join(text.split())
    if CUT in text:
        text = _EMPTY_BRACKETS.sub("", text)
        text = _DANGLING_AFTER.sub(r"\1", _DANGLING_BEFORE.sub(r"\1", text))
        text = " ".join(text.replace(CUT, "").split())
    if (
        " ." in text or " ," in text or " ;" in text or " :" in text
        or " )" in text or " ]" in text or " !" in text or " ?" in text
    ):  # fmt: skip
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return text


def _numbered(xref: etree._Element) -> bool:
    """A numbered citation marker ("12", "3–5"), not an author-year one ("Hites 2004")."""
    return _CITATION_NUMBER.fullmatch("".join(xref.itertext())) is not None


def drop_citation_numbers(article: etree._Element) -> None:
    """Take the numbered citation markers out of the (already serialised) article, `CUT`
    in their place: "pain fell [<xref>12</xref>]." reads "pain fell [CUT]." and then,
    cleaned, "pain fell."."""
    for xref in list(article.iter("xref")):
        if xref.get("ref-type") == "bibr" and _numbered(xref):
            parent = xref.getparent()
            if parent is None:
                continue
            _cut(xref, parent)
            if (
                parent.tag == "sup"
                and not len(parent)
                and _CITATION_NUMBER.fullmatch((parent.text or "").replace(CUT, ""))
            ):  # "pain<sup>1,2</sup>": the superscript held citation numbers only
                outer = parent.getparent()
                if outer is not None:
                    _cut(parent, outer)


def _cut(el: etree._Element, parent: etree._Element) -> None:
    """Take `el` out of `parent`: `CUT` and its tail stay in its place."""
    before, tail = el.getprevious(), CUT + (el.tail or "")
    if before is not None:
        before.tail = (before.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _collect(el: etree._Element, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in _NOT_INLINE:
            if tag in _SPACED:
                out.append(" ")
                _collect(child, out)
                out.append(" ")
            else:
                _collect(child, out)
        if child.tail:
            out.append(child.tail)


def inline_text(el: etree._Element | None) -> str:
    """The element's text with inline markup and MathML as text, nested tables and
    figures, formulas and citation markers left out."""
    if el is None:
        return ""
    if not len(el):
        return clean(el.text) if el.text else ""
    out: list[str] = []
    _collect(el, out)
    return clean("".join(out))


def plain(el: etree._Element | None) -> str:
    """All text of a small element (a label, an id), whitespace collapsed."""
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())


# ---- front matter ---------------------------------------------------------------------------


def _ids(meta: etree._Element, rec: FullTextRecord) -> None:
    for el in meta.iterchildren("article-id"):
        kind, value = (el.get("pub-id-type") or "").lower(), plain(el)
        if kind in ("pmc", "pmcid") and rec.pmcid is None:
            rec.pmcid = normalize_pmcid(value)
        elif kind == "pmid" and rec.pmid is None:
            rec.pmid = normalize_pmid(value)
        elif kind == "doi" and rec.doi is None and value:
            rec.doi = value[:255]


def _license(meta: etree._Element) -> tuple[License | None, str | None]:
    """The licence (from `permissions`, or an old DTD's bare `copyright-statement`) and
    the copyright statement."""
    perm = meta.find("permissions")
    holder = perm if perm is not None else meta
    statement = inline_text(holder.find("copyright-statement")) or None
    lic = holder.find("license")
    if lic is None:
        if statement and ("licen" in statement.lower() or "creative commons" in statement.lower()):
            return License(text=statement), statement
        return None, statement
    url = lic.get(XLINK_HREF) or None
    ref = holder.find(f".//{_ALI_LICENSE_REF}")
    if ref is not None:
        url = plain(ref) or url
    if url is None:
        link = next(
            (e.get(XLINK_HREF) for e in lic.iter("ext-link", "uri") if e.get(XLINK_HREF)), None
        )
        url = link
    kind = (lic.get("license-type") or "")[:100] or None
    return License(
        url=url[:500] if url else None, type=kind, text=inline_text(lic) or None
    ), statement


def front(article: etree._Element, rec: FullTextRecord, walker: Walker) -> None:
    rec.article_type = (article.get("article-type") or "")[:100] or None
    meta = article.find("front/article-meta")
    if meta is None:
        return
    _ids(meta, rec)
    rec.title = inline_text(meta.find("title-group/article-title"))
    rec.license, rec.copyright = _license(meta)
    for abstract in meta.iterchildren("abstract"):
        if (abstract.get("abstract-type") or "") in ("", "summary", "structured"):
            index = walker.section("Abstract", SectionKind.ABSTRACT, None)
            walker.blocks(abstract, index, forced=SectionKind.ABSTRACT)
            break


def notice(article: etree._Element) -> str | None:
    """PMC's comment saying the publisher allows no XML download, if the article has it."""
    for node in article.iterchildren(etree.Comment):
        if NOTICE_MARK in (node.text or ""):
            return " ".join((node.text or "").split())
    front_el = article.find("front")
    if front_el is not None:
        for node in front_el.iter(etree.Comment):
            if NOTICE_MARK in (node.text or ""):
                return " ".join((node.text or "").split())
    return None


# ---- the body -------------------------------------------------------------------------------


def section_kind(sec: etree._Element, title: str, parent: str | None) -> str:
    """From `sec-type` ("materials|methods"), else the title, else the parent's kind."""
    for part in (sec.get("sec-type") or "").lower().split("|"):
        kind = _SEC_TYPES.get(part.strip())
        if kind is not None:
            return kind
    for pattern, kind in _TITLE_KINDS:
        if pattern.match(title):
            return kind
    if parent is not None and parent != SectionKind.OTHER:
        return parent
    for pattern, kind in _ANYWHERE:
        if pattern.search(title):
            return kind
    return SectionKind.OTHER


class Walker:
    """Builds the sections and passages of one article in reading order."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.passages: list[Passage] = []
        self._paragraphs: Counter[int | None] = Counter()
        self._ordinals: Counter[str] = Counter()

    def section(self, title: str, kind: str, parent: int | None) -> int:
        depth = 0 if parent is None else self.sections[parent].depth + 1
        self.sections.append(Section(title=title, kind=kind, depth=depth, parent=parent))
        return len(self.sections) - 1

    def _add(self, kind: str, text: str, section: int | None, label: str | None = None,
             cells: int = 0) -> None:  # fmt: skip
        if not text:
            return
        if kind == PassageKind.PARAGRAPH:
            self._paragraphs[section] += 1
            number = self._paragraphs[section]
        else:
            self._ordinals[kind] += 1
            number = self._ordinals[kind]
        label = (label or "").rstrip(".: ")[:100] or None
        self.passages.append(Passage(kind, text, section, number, label, cells))

    def blocks(self, container: etree._Element, section: int | None,
               forced: str | None = None) -> None:  # fmt: skip
        """The blocks of `container` (a body, a section, a box …) in order."""
        for child in container:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag == "sec":
                title = inline_text(child.find("title"))
                parent_kind = self.sections[section].kind if section is not None else None
                kind = forced or section_kind(child, title, parent_kind)
                self.blocks(child, self.section(title, kind, section), forced)
            elif tag == "p":
                self._add(PassageKind.PARAGRAPH, inline_text(child), section)
                for inner in child:
                    if inner.tag in _NESTED_BLOCKS:
                        self.block(inner, section, forced)
            else:
                self.block(child, section, forced)

    def block(self, el: etree._Element, section: int | None, forced: str | None = None) -> None:
        tag = el.tag
        if tag in ("list", "def-list", "disp-quote", "statement", "verse-group", "speech"):
            self._add(PassageKind.PARAGRAPH, inline_text(el), section)
        elif tag == "table-wrap":
            text, label, cells = table(el)
            self._add(PassageKind.TABLE, text, section, label, cells)
        elif tag == "fig":
            label = plain(el.find("label"))
            caption = inline_text(el.find("caption"))
            self._add(PassageKind.FIGURE, _headed(label, caption), section, label)
        elif tag == "fn":
            label = plain(el.find("label"))
            self._add(PassageKind.FOOTNOTE, inline_text(el), section, label)
        elif tag in ("table-wrap-foot",):
            return
        else:  # groups, boxes, captions, unknown elements: their own blocks
            self.blocks(el, section, forced)


def _headed(label: str, text: str) -> str:
    if label and text:
        return f"{label}{'' if label.endswith(('.', ':')) else '.'} {text}"
    return label or text


def table(wrap: etree._Element) -> tuple[str, str, int]:
    """(text, label, cells) of a `table-wrap`: "Table 2. Caption", then one line per row,
    then the table's footnotes. A row under column headings (`thead`, or rows of `th`
    only) carries them: "Week: 8 | Responders: 6 (60%)", so each line says what its
    figures are; the headings' own lines are left out then."""
    label = plain(wrap.find("label"))
    lines = [_headed(label, inline_text(wrap.find("caption")))]
    cells = 0
    for tbl in wrap.iter("table"):
        headings: list[list[str]] = []  # per heading row, the text of each column
        columns: list[str] = []  # each column's headings, joined
        for tr in tbl.iter("tr"):
            tds = [c for c in tr if c.tag in ("td", "th")]
            cells += len(tds)
            row = [(inline_text(c), _span(c)) for c in tds]
            if not any(text for text, _n in row):
                continue
            parent = tr.getparent()
            if (parent is not None and parent.tag == "thead") or all(c.tag == "th" for c in tds):
                headings.append([text for text, n in row for _ in range(n)])
                columns = _columns(headings)
                continue
            lines.append(_row_line(row, columns))
        if headings and len(lines) == 1:  # headings and nothing under them
            lines.extend(" | ".join(dict.fromkeys(h)) for h in headings)
    lines.append(inline_text(wrap.find("table-wrap-foot")))
    return "\n".join(line for line in lines if line), label, cells


def _span(cell: etree._Element) -> int:
    value = cell.get("colspan")
    if value is None:
        return 1
    return min(int(value), 50) if value.isdigit() and value != "0" else 1


def _columns(headings: list[list[str]]) -> list[str]:
    """Each column's headings, top to bottom, repeats and blanks left out."""
    width = max(len(h) for h in headings)
    return [
        " ".join(dict.fromkeys(h[i] for h in headings if i < len(h) and h[i])) for i in range(width)
    ]


def _row_line(row: list[tuple[str, int]], columns: list[str]) -> str:
    """The cells of a body row, each after its column's heading."""
    parts = []
    column = 0
    for text, span in row:
        heading = columns[column] if column < len(columns) else ""
        column += span
        parts.append(f"{heading}: {text}" if heading and text else text)
    return " | ".join(parts)


def article(elem: etree._Element, raw: bytes) -> FullTextRecord:
    """The record of one `<article>`."""
    rec = FullTextRecord(raw_xml=raw)
    drop_citation_numbers(elem)
    walker = Walker()
    front(elem, rec, walker)
    rec.notice = notice(elem)
    body = elem.find("body")
    rec.has_body = body is not None
    if body is not None:
        walker.blocks(body, None)
    floats = elem.find("floats-group")
    if floats is not None:
        walker.blocks(floats, None)
    back = elem.find("back")
    if back is not None:
        for group in back.iterchildren("fn-group"):
            walker.blocks(group, None)
    rec.sections, rec.passages = walker.sections, walker.passages
    return rec

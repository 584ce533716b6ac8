"""`extract_references`: the references a page gives, as written.

1. The references section (`sections`: a "Resources"/"References"/"Sources"… heading, or
   a trailing numbered list that reads as references) is cut into entries, one per line:
   a numbered line starts an entry; in a numbered list an unnumbered line continues the
   entry before it; otherwise a line continues the one before it (no blank line between)
   when that one did not end with a full stop, a URL or a number (a title wrapped, or a
   title line followed by its URL line). Each entry is read by `entries.parse_entry`.
2. Inline references in the body: external links, and PMIDs / PMC IDs / DOIs written out.
   Not references: mailto:/tel:/javascript: links, in-page anchors, relative links (the
   site's own pages), links to `base_url`'s host, social / sharing sites, navigation link
   texts, and links inside a call to action ("be sure to check out Part 1").
   An inline reference that repeats a list entry (same PMID, PMC ID, DOI or URL) is left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from ldn_evidence.extract.entries import parse_entry, title_of
from ldn_evidence.extract.furniture import heading_kind, is_call_to_action, is_navigation
from ldn_evidence.extract.identifiers import id_spans
from ldn_evidence.extract.model import ExtractedReference, Link, PageText
from ldn_evidence.extract.sections import BODY, REFERENCES, Line, SectionMap, enumerator
from ldn_evidence.extract.urls import URL_RE, host_of, normalize_url
from ldn_evidence.sentences import PAGE, split_sentences

SOCIAL_HOSTS = (
    "facebook.com",
    "fb.com",
    "twitter.com",
    "x.com",
    "t.co",
    "linkedin.com",
    "pinterest.com",
    "reddit.com",
    "instagram.com",
    "tumblr.com",
    "whatsapp.com",
    "wa.me",
    "t.me",
    "telegram.me",
    "addtoany.com",
    "addthis.com",
    "sharethis.com",
    "plus.google.com",
    "digg.com",
    "stumbleupon.com",
    "mix.com",
    "vk.com",
    "threads.net",
    "tiktok.com",
)
_NOT_A_REFERENCE = re.compile(r"^\s*(?:mailto|tel|sms|javascript|data|file):", re.IGNORECASE)
_SHARE_TEXT = re.compile(
    r"^(?:share|tweet|pin it|like|email|print|facebook|twitter|linkedin)\b", re.IGNORECASE
)
_COMPLETE_LINE = re.compile(r"(?:[.!?][\"'”’)\]]*|\d|/)$")


def _entry_spans(text: str, lines: list[Line]) -> list[tuple[int, int, str | None]]:
    """(start, end, marker) of each entry of the references section(s)."""
    body = [
        line for line in lines if line.kind == REFERENCES and heading_kind(line.text) != REFERENCES
    ]
    numbered = any(enumerator(line.text) for line in body)
    entries: list[list] = []  # [start, end, marker]
    previous: Line | None = None
    for line in body:
        number = enumerator(line.text)
        adjacent = previous is not None and previous.end + 1 == line.start
        previous_text = previous.text.rstrip() if previous is not None else ""
        continues = (
            entries
            and adjacent
            and not number
            and (
                numbered
                or not (
                    _COMPLETE_LINE.search(previous_text)
                    or URL_RE.search(previous_text.split()[-1] if previous_text.split() else "")
                )
            )
        )
        if continues:
            entries[-1][1] = line.end
        else:
            entries.append([line.start, line.end, number[0] if number else None])
        previous = line
    return [(s, e, m) for s, e, m in entries]


def _links_in(links: list[Link], starts: list[int], start: int, end: int) -> list[Link]:
    index = bisect.bisect_left(starts, start)
    found = []
    while index < len(links) and links[index].start < end:
        if links[index].end <= end:
            found.append(links[index])
        index += 1
    return found


def _list_references(page: PageText, sections: SectionMap) -> list[ExtractedReference]:
    starts = [link.start for link in page.links]
    found = []
    for start, end, marker in _entry_spans(page.text, sections.lines):
        number = enumerator(page.text[start:end])
        body_start = start + (number[1] if number else 0)
        raw = " ".join(page.text[start:end].split())
        reference = parse_entry(
            " ".join(page.text[body_start:end].split()),
            start,
            end,
            _links_in(page.links, starts, start, end),
            marker=marker,
        )
        if reference is not None:
            found.append(replace(reference, raw=raw))
    return found


def _is_external(link: Link, base_host: str) -> bool:
    href = link.href.strip()
    if not href or href.startswith("#") or _NOT_A_REFERENCE.match(href):
        return False
    if not (re.match(r"(?i)^(?:https?:)?//", href) or URL_RE.match(href)):
        return False  # a relative link: the site's own page
    host = host_of(href.removeprefix("//") if href.startswith("//") else href)
    if not host or (base_host and (host == base_host or host.endswith("." + base_host))):
        return False
    if any(host == social or host.endswith("." + social) for social in SOCIAL_HOSTS):
        return False
    text = " ".join(link.text.split())
    return not (is_navigation(text) or _SHARE_TEXT.match(text))


def _inline_references(
    page: PageText, sections: SectionMap, base_url: str | None
) -> list[ExtractedReference]:
    base_host = host_of(base_url).removeprefix("www.") if base_url else ""
    sentences = split_sentences(page.text, PAGE)
    sentence_starts = [s.start for s in sentences]

    def in_call_to_action(offset: int) -> bool:
        index = bisect.bisect_right(sentence_starts, offset) - 1
        return index >= 0 and is_call_to_action(sentences[index].text)

    found: list[ExtractedReference] = []
    for link in page.links:
        if sections.kind_at(link.start) != BODY or not _is_external(link, base_host):
            continue
        if in_call_to_action(link.start):
            continue
        reference = parse_entry(link.text, link.start, link.end, [link], origin="inline")
        if reference is not None:
            if reference.kind == "title":
                reference = replace(reference, kind="web")
            found.append(replace(reference, title=title_of(link.text)))
    link_spans = [(link.start, link.end) for link in page.links]
    for match in id_spans(page.text):
        if sections.kind_at(match.start) != BODY:
            continue
        if any(s <= match.start < e for s, e in link_spans):
            continue
        raw = page.text[match.start : match.end]
        reference = parse_entry(raw, match.start, match.end, [], origin="inline")
        if reference is not None:
            found.append(replace(reference, title=None))
    return found


def _keys(reference: ExtractedReference) -> set[tuple[str, str]]:
    keys = set()
    if reference.pmid:
        keys.add(("pmid", reference.pmid))
    if reference.pmcid:
        keys.add(("pmcid", reference.pmcid.upper()))
    if reference.doi:
        keys.add(("doi", reference.doi.lower()))
    if reference.url:
        keys.add(("url", normalize_url(reference.url)))
    return keys


def extract_references(page: PageText, *, base_url: str | None = None) -> list[ExtractedReference]:
    """The page's references in page order, `position` counting from 0.

    `base_url`, when given, is the page's own address: links to its host are navigation.
    """
    sections = SectionMap(page.text)
    listed = _list_references(page, sections)
    seen: set[tuple[str, str]] = set()
    for reference in listed:
        seen |= _keys(reference)
    inline = []
    for reference in sorted(_inline_references(page, sections, base_url), key=lambda r: r.start):
        keys = _keys(reference)
        if keys & seen:
            continue
        seen |= keys
        inline.append(reference)
    ordered = sorted(listed + inline, key=lambda r: (r.start, r.end))
    return [replace(reference, position=index) for index, reference in enumerate(ordered)]

"""Bare URLs in running text: find them and trim the punctuation that ends the sentence."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ldn_evidence.textsafe import url_problem
from ldn_evidence.vocab import URL_MAX

# A URL with a scheme, a www. host, or one of the few hosts that matter here written bare.
URL_RE = re.compile(
    r"(?:https?://|www\.|(?:pubmed\.|www\.)?ncbi\.nlm\.nih\.gov/|(?:dx\.)?doi\.org/)"
    r"[^\s<>\"'\u201c\u201d\u2018\u2019\[\]{}|\\^`]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*"
_PAIRS = {")": "(", "]": "["}


_EDGES = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")


def clean_href(href: str | None) -> str:
    """An `href` as a browser reads it (WHATWG URL: C0 controls and spaces around it
    trimmed, tabs and line breaks inside removed); "" when another control character
    is left in it, or it is longer than URL_MAX: such a link is not followed, and never
    stored."""
    url = (href or "").strip(_EDGES).translate(_TAB_OR_NEWLINE)
    return "" if url_problem(url) or len(url) > URL_MAX else url


def trim_url(url: str) -> str:
    """Strip sentence punctuation after a URL; keep a ')' that closes a '(' in the URL."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _PAIRS and url.count(_PAIRS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) for each bare URL in `text`, trailing punctuation excluded."""
    found = []
    for match in URL_RE.finditer(text):
        url = trim_url(match.group(0))
        if "." not in url or not 8 <= len(url) <= URL_MAX:
            continue
        found.append((match.start(), match.start() + len(url), url))
    return found


def host_of(url: str) -> str:
    """Lower-case host of a URL ('' when there is none); bare 'www.x' counts as a host."""
    candidate = url.strip()
    if candidate.lower().startswith("www.") or "://" not in candidate[:12]:
        if re.match(r"(?i)^[a-z0-9.-]+\.[a-z]{2,}(/|$)", candidate):
            candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:
        return ""
    return host.lower()


def normalize_url(url: str) -> str:
    """A comparison key: no scheme, no leading www., no trailing slash, host lower-cased."""
    key = url.strip()
    key = re.sub(r"(?i)^https?://", "", key)
    key = re.sub(r"(?i)^www\.", "", key)
    slash = key.find("/")
    if slash == -1:
        return key.lower().rstrip("/")
    return key[:slash].lower() + key[slash:].rstrip("/")

"""The page edge: one page fetched by its address, for `extract https://…`.

- http and https only; redirects followed (at most `MAX_REDIRECTS`) and recorded;
- the whole reply within ``timeout`` seconds (connect and read, a hard limit);
- at most ``max_bytes`` read (a bigger page is refused by extraction, as a file is);
- only HTML (text/html, application/xhtml+xml) and plain text (text/plain); the charset
  the server declares is kept for decoding.

Every failure is an `InputError` naming the address, in one line, as a file's would be.
"""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass, field

import requests

from ldn_evidence.errors import InputError
from ldn_evidence.pubmed.transport import unreachable_reason

MAX_REDIRECTS = 10
USER_AGENT = "ldn-evidence (evidence-citation checker for pharmacists)"
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
"""The content types taken, and the page kind each gives."""


@dataclass(frozen=True)
class FetchedPage:
    requested_url: str
    url: str  # the final address, after redirects
    kind: str  # "html" | "text"
    data: bytes
    content_type: str
    charset: str | None = None
    redirects: list[str] = field(default_factory=list)  # each address redirected from

    def as_dict(self) -> dict[str, object]:
        return {
            "requested_url": self.requested_url,
            "url": self.url,
            "redirects": self.redirects,
            "content_type": self.content_type,
            "bytes": len(self.data),
        }


def is_address(page: str) -> bool:
    """Whether `extract`'s argument is a web address rather than a file."""
    return page.strip().lower().startswith(("http://", "https://"))


def fetch_page(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 30.0,
    session: requests.Session | None = None,
) -> FetchedPage:
    """GET the page at `url`; see the module docstring for the policy."""
    url = url.strip()
    if not urllib.parse.urlsplit(url).hostname:
        raise InputError(f"{url}: not a web address (no host)")
    http = session if session is not None else requests.Session()
    http.max_redirects = MAX_REDIRECTS
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html, application/xhtml+xml, text/plain;q=0.9",
    }
    deadline = time.monotonic() + timeout
    try:
        with http.get(url, headers=headers, timeout=timeout, stream=True) as reply:
            if reply.status_code != 200:
                raise InputError(f"{url}: HTTP {reply.status_code} {reply.reason or ''}".rstrip())
            content_type = reply.headers.get("Content-Type", "")
            mime = content_type.split(";")[0].strip().lower()
            if mime not in PAGE_TYPES:
                raise InputError(
                    f"{url}: not an HTML or text page (content type {mime or 'not given'})"
                )
            data = _read(reply, max_bytes, deadline, timeout)
            return FetchedPage(
                requested_url=url,
                url=reply.url,
                kind=PAGE_TYPES[mime],
                data=data,
                content_type=content_type,
                charset=reply.encoding if "charset=" in content_type.lower() else None,
                redirects=[r.url for r in reply.history],
            )
    except requests.TooManyRedirects:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except requests.Timeout:
        raise InputError(f"{url}: no complete reply within {timeout:g} s") from None
    except requests.ConnectionError as exc:
        why = unreachable_reason(exc) or f"connection failed ({type(exc).__name__})"
        host = urllib.parse.urlsplit(url).hostname
        raise InputError(f"{url}: {host} cannot be reached ({why})") from None
    except requests.RequestException as exc:
        raise InputError(f"{url}: {' '.join(str(exc).split())}") from None
    finally:
        if session is None:
            http.close()


def _read(reply: requests.Response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    """At most `max_bytes` + 1 bytes (so a bigger page shows as bigger), by the deadline."""
    chunks: list[bytes] = []
    size = 0
    for chunk in reply.iter_content(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            break
        if time.monotonic() > deadline:
            raise requests.Timeout(f"no complete reply within {timeout:g} s")
    return b"".join(chunks)[: max_bytes + 1]

"""One polite, robust HTTP request to NCBI: rate limit, hard timeout, retries, redaction.

`Transport.call` sends one request for `client.PubMedClient`:
- every attempt, retries included, first waits its turn on the rate limiter;
- the whole reply must arrive within ``timeout`` seconds (connect + read, a hard limit);
- 429, 500, 502, 503, 504, timeouts, dropped connections and 200 replies that the
  ``check`` function rejects (`UnexpectedReply`) are retried by tenacity with exponential
  backoff, waiting at least ``Retry-After`` when the server sends it;
- a server that cannot be reached at all (connection refused, host name not found, no
  route) is tried at most `UNREACHABLE_ATTEMPTS` times, `UNREACHABLE_BACKOFF` apart;
  after that every later request to that host fails at once, so a command without a
  network says so within seconds instead of retrying each request for half a minute;
- any other status fails at once; giving up raises `PubMedError` with one line naming
  the utility, what was asked and the last error — never the API key.
"""

from __future__ import annotations

import errno
import http.client
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from requests.structures import CaseInsensitiveDict
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    wait_exponential,
)

from ..errors import PubMedError
from .ratelimit import RateLimiter
from .replies import UnexpectedReply, is_html, parse_retry_after, snippet

log = logging.getLogger("ldn_evidence.pubmed.client")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
UNREACHABLE_ATTEMPTS = 2  # a refused connection or an unknown host: one retry, no more
UNREACHABLE_BACKOFF = 0.5  # seconds, at most, before that retry
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 60.0
USER_AGENT = "ldn-evidence (+https://www.ncbi.nlm.nih.gov/books/NBK25497/)"

_API_KEY_PARAM = re.compile(r"(api_key=)[^&\s'\"]+")
_T = TypeVar("_T")
Reply = tuple[int, str, CaseInsensitiveDict[str], bytes]


class _RedactApiKey(logging.Filter):
    """Hide ``api_key=…`` in log records (urllib3 logs request URLs at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key=" in message:
            record.msg, record.args = _API_KEY_PARAM.sub(r"\1***", message), ()
        return True


for _logger in (logging.getLogger("urllib3.connectionpool"), log):
    if not any(isinstance(f, _RedactApiKey) for f in _logger.filters):
        _logger.addFilter(_RedactApiKey())


class Retryable(Exception):
    """A failure worth another attempt; ``retry_after`` from the server, if it said."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Unreachable(Retryable):
    """No connection could be made: refused, host name not found, no route to the host."""


_NO_ROUTE = {errno.ENETUNREACH, errno.EHOSTUNREACH}


def unreachable_reason(exc: BaseException) -> str | None:
    """Why no connection could be made, when that is what `exc` (or its cause) says:
    "connection refused", "host name not found" or "no route to host"; else None (a
    connection that was made and then failed is not "unreachable")."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        err = todo.pop()
        if id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, socket.gaierror):
            return "host name not found"
        if isinstance(err, ConnectionRefusedError):
            return "connection refused"
        if isinstance(err, OSError) and err.errno in _NO_ROUTE:
            return "no route to host"
        nested = [err.__cause__, err.__context__, getattr(err, "reason", None), *err.args]
        todo.extend(e for e in nested if isinstance(e, BaseException))
    return None


class Transport:
    """Sends requests for one client; ``max_retries`` retries after the first attempt."""

    def __init__(
        self,
        session: requests.Session,
        *,
        rate_limiter: RateLimiter,
        identity: dict[str, str],
        timeout: float,
        max_retries: int,
        backoff: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.rate_limiter = rate_limiter
        self.identity = identity  # tool, email, api_key: sent with every request
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self._sleep = sleep
        self._unreachable: dict[str, str] = {}  # host → why it could not be reached

    def call(
        self,
        utility: str,
        what: str,
        method: str,
        url: str,
        params: dict[str, str],
        *,
        check: Callable[[bytes, str], _T],
        raw_query: str = "",
    ) -> _T:
        """Send until ``check`` accepts a 200 reply; return what ``check`` returns.

        ``what`` names the request in messages ("PMIDs 1, 2, 3"). POST puts the
        parameters in the body, so no URL carries the key. ``raw_query`` is appended to a
        GET's query string exactly as given (ECitMatch wants its pipes unencoded).
        """
        host = urllib.parse.urlsplit(url).netloc
        if host in self._unreachable:
            raise PubMedError(f"{utility} not sent ({what}): {self._unreachable[host]}")
        retrying = Retrying(
            stop=self._stop,
            wait=self._wait,
            retry=retry_if_exception_type(Retryable),
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(utility, state),
        )
        params = {**params, **self.identity}
        try:
            return retrying(self._attempt, utility, what, method, url, params, raw_query, check)
        except RetryError as exc:
            attempt = exc.last_attempt
            last = attempt.exception()
            if isinstance(last, Unreachable):
                self._unreachable[host] = (
                    f"{host} cannot be reached ({last}; tried {attempt.attempt_number} times): "
                    "check the network connection"
                )
                raise PubMedError(f"{utility} failed ({what}): {self._unreachable[host]}") from None
            raise PubMedError(
                self.redact(
                    f"{utility} failed after {attempt.attempt_number} attempts ({what}): "
                    f"{attempt.exception()}"
                )
            ) from None

    def _attempt(
        self,
        utility: str,
        what: str,
        method: str,
        url: str,
        params: dict[str, str],
        raw_query: str,
        check: Callable[[bytes, str], _T],
    ) -> _T:
        self.rate_limiter.wait()
        try:
            if raw_query:
                query = f"{urllib.parse.urlencode(params)}&{raw_query}"
                status, reason, headers, body = self._send_verbatim(f"{url}?{query}")
            else:
                kind = "data" if method == "POST" else "params"
                request = requests.Request(method, url, **{kind: params})
                status, reason, headers, body = self._send(self.session.prepare_request(request))
        except requests.Timeout:
            raise Retryable(f"no complete reply within {self.timeout:g} s") from None
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            why = unreachable_reason(exc)
            if why is not None:
                raise Unreachable(why) from None
            raise Retryable(f"connection failed ({type(exc).__name__})") from None
        except requests.RequestException as exc:
            raise PubMedError(self.redact(f"{utility} failed ({what}): {exc}")) from None
        if status in RETRY_STATUSES:
            retry_after = parse_retry_after(headers.get("Retry-After"))
            raise Retryable(
                f"HTTP {status} {reason}: {snippet(body, 100)}".rstrip(": "), retry_after
            )
        if status != 200:
            message = f"{utility} refused the request ({what}): HTTP {status} {reason}"
            raise PubMedError(self.redact(f"{message}: {snippet(body)}".rstrip(": ")))
        content_type = headers.get("Content-Type", "")
        if is_html(body, content_type):
            raise Retryable(f"HTML page instead of an answer: {snippet(body, 100)!r}")
        try:
            return check(body, content_type)
        except UnexpectedReply as exc:
            raise Retryable(f"unexpected reply: {exc}") from None

    def _send(self, prepared: requests.PreparedRequest) -> Reply:
        """Send and read the whole body within ``timeout`` seconds in all."""
        settings = self.session.merge_environment_settings(prepared.url, {}, True, None, None)
        deadline = time.monotonic() + self.timeout
        with self.session.send(prepared, timeout=self.timeout, **settings) as response:
            chunks = []
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise requests.Timeout("reply took longer than the timeout")
            return response.status_code, response.reason or "", response.headers, b"".join(chunks)

    def _send_verbatim(self, url: str) -> Reply:
        """GET ``url`` as written, with the standard library.

        urllib3 (under requests) percent-encodes every ``|`` in a query string, and
        ECitMatch wants its pipes literal, as Biopython sends them. Errors are mapped to
        the requests exceptions `_attempt` handles.
        """
        try:
            return _urlopen(url, self.timeout)
        except requests.RequestException:
            raise
        except TimeoutError:
            raise requests.Timeout() from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise requests.Timeout() from None
            raise requests.ConnectionError(type(exc.reason).__name__) from exc
        except http.client.IncompleteRead:
            raise requests.exceptions.ChunkedEncodingError("IncompleteRead") from None
        except (http.client.HTTPException, OSError) as exc:
            raise requests.ConnectionError(type(exc).__name__) from exc

    def _stop(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        attempts = self.max_retries + 1
        if isinstance(exc, Unreachable):
            attempts = min(attempts, UNREACHABLE_ATTEMPTS)
        return state.attempt_number >= attempts

    def _wait(self, state: RetryCallState) -> float:
        exponential = wait_exponential(multiplier=self.backoff, max=MAX_BACKOFF)(state)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Unreachable):
            return min(exponential, UNREACHABLE_BACKOFF)
        if isinstance(exc, Retryable) and exc.retry_after is not None:
            return max(min(exc.retry_after, MAX_RETRY_AFTER), exponential)
        return exponential

    def _log_retry(self, utility: str, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "%s: %s; retrying in %.2f s (attempt %d of %d)",
            utility,
            self.redact(str(exc)),
            pause,
            state.attempt_number,
            self.max_retries + 1,
        )

    def redact(self, text: str) -> str:
        """``text`` with the API key replaced by ``***`` (as a parameter and verbatim)."""
        text = _API_KEY_PARAM.sub(r"\1***", text)
        key = self.identity.get("api_key")
        if key:
            for form in {key, urllib.parse.quote(key, safe="")}:
                text = text.replace(form, "***")
        return text


def _urlopen(url: str, timeout: float) -> Reply:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.reason, _headers(response), _read(response, deadline)
    except urllib.error.HTTPError as exc:  # a status other than 2xx: still a reply
        with exc:
            return exc.code, str(exc.reason), _headers(exc), _read(exc, deadline)


def _headers(response: Any) -> CaseInsensitiveDict[str]:
    return CaseInsensitiveDict(response.headers.items())


def _read(response: Any, deadline: float) -> bytes:
    """The body of a urllib reply, within the deadline; a short body is a broken read."""
    chunks = []
    while chunk := response.read(64 * 1024):
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise requests.Timeout("reply took longer than the timeout")
    body = b"".join(chunks)
    promised = response.headers.get("Content-Length", "")
    # http.client does not check the length itself
    if promised.isascii() and promised.isdigit() and int(promised) != len(body):
        raise http.client.IncompleteRead(body, int(promised) - len(body))
    return body

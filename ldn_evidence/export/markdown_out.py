"""Markdown: the citation report as text a pharmacist can paste, file or render.

Rendered from `templates/report.md.j2`. Every value printed by the template is escaped
(the environment's `finalize`), so a claim containing `<script>` or `*` stays literal
text in any Markdown renderer; only `md_link` output is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import jinja2

from ldn_evidence.export.html_out import gather
from ldn_evidence.export.present import TEMPLATE_GLOBALS, safe_href
from ldn_evidence.textsafe import strip_controls
from ldn_evidence.viewmodel import Report

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that start
# markup inline (emphasis, code, links, raw HTML, entities, tables, strikethrough).
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~$])")
# What else starts a block when it opens a line (values are printed at the start of a
# line after "> " or "- "): a list item or thematic break (- +), a setext underline (=),
# a definition (: in extended dialects); an ordered list marker ("1." "1)").
_BLOCK_START = re.compile(r"^([-+=:])")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
# In a link destination or autolink these would end the link or start an escape.
_HREF_UNSAFE = re.compile(r"[\s<>\\\x00-\x1f\x7f-\x9f\u2028\u2029]")


_BLANK_RUN = re.compile(r"\n{3,}")


class MdSafe(str):
    """Markdown produced by this module, printed as is."""


def md_escape(value: object) -> str:
    """A value as literal Markdown text on one line."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = strip_controls(" ".join(str(value).split()))
    text = _SPECIAL.sub(r"\\\1", text)
    # Values are one line, but one printed at the start of a line (after "> " or "- ")
    # must not open a block: a list item, a thematic break ("---"), a setext underline.
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


def _href(url: str) -> str:
    """`url` percent-encoded where it could end a Markdown link: whitespace and line
    breaks, control characters, angle brackets and backslashes."""
    return _HREF_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)


def md_link(text: object, url: str | None) -> MdSafe:
    href = safe_href(url)
    label = md_escape(text)
    if href is None:
        return MdSafe(label)
    target = _href(href)
    if str(text).strip() == href == target:
        return MdSafe(f"<{target}>")  # an autolink: shown as written, nothing escaped
    return MdSafe(f"[{label}](<{target}>)")


def md_anchor_link(text: object, anchor: str) -> MdSafe:
    """A link to a place in the report itself ("#claim-12"); the anchor is made of
    letters, digits and hyphens only."""
    target = re.sub(r"[^A-Za-z0-9-]", "", anchor)
    return MdSafe(f"[{md_escape(text)}](#{target})")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ldn_evidence", "templates"),
        autoescape=False,
        finalize=md_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(TEMPLATE_GLOBALS)
    env.globals["md_link"] = md_link
    env.globals["md_anchor_link"] = md_anchor_link
    env.filters["raw"] = MdSafe
    return env


def render_markdown(report: Report) -> bytes:
    return b"".join(chunks_markdown(report))


def chunks_markdown(report: Report) -> Iterator[bytes]:
    """The text as the template makes it (`generate`), blank-line runs squeezed to one."""
    parts = _environment().get_template("report.md.j2").generate(report=report)
    return gather(_squeeze_blank_lines(parts))


def _squeeze_blank_lines(parts: Iterator[str]) -> Iterator[str]:
    """`re.sub(r"\n{3,}", "\n\n", "".join(parts))`, a part at a time: a run of newlines at
    the end of a part waits for the next part, which may continue it."""
    run = ""
    for part in parts:
        text = run + part
        body = text.rstrip("\n")
        run = text[len(body) :]
        if body:
            yield _BLANK_RUN.sub("\n\n", body)
    yield _BLANK_RUN.sub("\n\n", run)

"""Small JATS articles for tests: open ones, and the front-matter-only kind PMC sends for
an article whose publisher allows no XML download (with PMC's notice as a comment)."""

from __future__ import annotations

from xml.sax.saxutils import escape

NOTICE = "The publisher of this article does not allow downloading of the full text in XML form."


def make_pmc_article(
    pmcid: str,
    pmid: str | None = None,
    *,
    title: str = "A trial",
    sections: dict[str, list[str]] | None = None,
    table: tuple[str, list[list[str]]] | None = None,
    open_access: bool = True,
    license_url: str = "https://creativecommons.org/licenses/by/4.0/",
) -> bytes:
    """One `<article>`. `sections`: title → paragraphs; `table`: (caption, rows) put in
    the last section as "Table 1"; `open_access=False`: front matter and PMC's notice."""
    digits = pmcid.removeprefix("PMC")
    ids = f'<article-id pub-id-type="pmc">{digits}</article-id>'
    if pmid:
        ids = f'<article-id pub-id-type="pmid">{pmid}</article-id>' + ids
    front = (
        f"<front><article-meta>{ids}<title-group><article-title>{escape(title)}</article-title>"
        f'</title-group><permissions><license xlink:href="{escape(license_url)}">'
        f"<license-p>Open access.</license-p></license></permissions></article-meta></front>"
    )
    if not open_access:
        return (
            f'<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">'
            f"<!--{NOTICE}-->{front}</article>"
        ).encode()
    secs = []
    items = list((sections or {"Results": ["Pain fell."]}).items())
    for i, (heading, paragraphs) in enumerate(items):
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        if table is not None and i == len(items) - 1:
            caption, rows = table
            cells = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            body += (
                f"<table-wrap><label>Table 1</label><caption><p>{escape(caption)}</p></caption>"
                f"<table><tbody>{cells}</tbody></table></table-wrap>"
            )
        secs.append(f"<sec><title>{escape(heading)}</title>{body}</sec>")
    return (
        f'<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">'
        f"{front}<body>{''.join(secs)}</body><back><ref-list/></back></article>"
    ).encode()


def article_set(*articles: bytes) -> bytes:
    """An efetch db=pmc reply holding `articles`."""
    return (
        b'<?xml version="1.0" ?>\n<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE SET 2.0//EN"'
        b' "https://dtd.nlm.nih.gov/ncbi/pmc/articleset/nlm-articleset-2.0.dtd">\n'
        b"<pmc-articleset>" + b"".join(articles) + b"</pmc-articleset>\n"
    )

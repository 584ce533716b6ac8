"""Which HTML elements are page furniture, not content: decided from tag and attributes.

Rules (in order):
1. Tags that never hold readable content (script, style, template, svg, form, iframe …)
   and page-level furniture tags (nav, aside, footer, and a header that is not inside an
   article or main) are dropped.
2. Elements hidden from readers (`hidden`, `aria-hidden="true"`, inline `display:none`).
3. Elements whose `role`, or a class / id token, names navigation, footers, cookie banners,
   share buttons, comment forms, sidebars or newsletters ("site-footer", "cookie-notice",
   "sharedaddy", "skip-link" …). Tokens like "has-sidebar" (a state of the page, usually on
   a wrapper) do not count, and html, body, main and article are never dropped this way.
"""

from __future__ import annotations

import re

DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "footer",
        "aside",
        "form",
        "iframe",
        "svg",
        "math",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "select",
        "button",
        "textarea",
        "input",
        "dialog",
        "head",
        "link",
        "meta",
        "title",
        "base",
    }
)
# Never dropped because of a class, id or role.
PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})

FURNITURE_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "search",
        "complementary",
        "menu",
        "menubar",
        "dialog",
        "alertdialog",
    }
)

_FURNITURE_WORDS = (
    "nav|navbar|navigation|menu|breadcrumbs?|footer|site-header|masthead|cookies?|"
    "cookie-notice|consent|gdpr|share|sharing|shares|social|sharedaddy|addtoany|a2a|"
    "sidebar|widget|widgets|skip-link|skip-to-content|newsletter|subscribe|subscription|"
    "comments|comment-respond|respond|related-posts|related|popup|modal|advert|"
    "advertisement|ads|banner-ad|post-navigation|pagination|author-box|screen-reader-text"
)
# A class/id token that is, or starts/ends with, a furniture word at a -/_ boundary.
_FURNITURE_TOKEN = re.compile(
    rf"^(?:[a-z0-9]+[-_])*?(?:{_FURNITURE_WORDS})(?:[-_][a-z0-9]+)*$", re.IGNORECASE
)
_STATE_PREFIX = re.compile(r"^(?:has|no|with|is|show|hide|enable|disable)[-_]", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _furniture_token(token: str) -> bool:
    if len(token) > 80 or _STATE_PREFIX.match(token):
        return False
    return bool(_FURNITURE_TOKEN.match(token))


def is_hidden(attrs: dict[str, str]) -> bool:
    if "hidden" in attrs:
        return True
    if attrs.get("aria-hidden", "").strip().lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(attrs.get("style", "")))


def is_furniture_by_attrs(tag: str, attrs: dict[str, str]) -> bool:
    """True when role / class / id mark the element as navigation, footer, banner …"""
    if tag in PROTECTED_TAGS:
        return False
    role = attrs.get("role", "").strip().lower()
    if role in FURNITURE_ROLES:
        return True
    tokens = attrs.get("class", "").split() + attrs.get("id", "").split()
    return any(_furniture_token(token) for token in tokens)


def drop_by_tag(tag: str, *, inside_article: bool) -> bool:
    if tag in DROP_TAGS:
        return True
    return tag == "header" and not inside_article

"""Phrase tables for page furniture: navigation, calls to action, legal text, contact
details, general hedges, and the headings that open a references / disclaimer / comments
section. Used by `sections` (where a section starts) and `claims` (what is not a claim).

All patterns are matched case-insensitively against text with whitespace collapsed.
"""

from __future__ import annotations

import re

# Whole short lines that are site navigation ("Skip to main content", "Leave a Reply").
NAVIGATION = (
    r"skip to (?:the )?(?:main )?(?:content|navigation|main)",
    r"leave a (?:reply|comment)",
    r"post a comment",
    r"cancel reply",
    r"read more",
    r"continue reading",
    r"(?:previous|next|older|newer) (?:post|article|entry|page)s?",
    r"back to (?:top|home)",
    r"share (?:this|on)\b.*",
    r"posted (?:in|on|by)\b.*",
    r"tagged\b.*",
    r"filed under\b.*",
    r"you must be logged in.*",
    r"(?:home|menu|search|print|email|close|toggle navigation|main menu)",
    r"\d+ (?:comments?|responses?)",
)

# Calls to action anywhere in a sentence.
CALL_TO_ACTION = (
    r"\bcheck back\b",
    r"\bbe sure to\b",
    r"\bcheck out\b",
    r"\bclick here\b",
    r"\bsubscribe\b",
    r"\bsign up\b",
    r"\bcontact us\b",
    r"\bcall us\b",
    r"\bgive us a call\b",
    r"\bconsult (?:with )?(?:your|a) (?:physician|doctor|pharmacist|health ?care provider)",
    r"\b(?:talk|speak) (?:to|with) (?:your|a|one of our) (?:doctor|physician|pharmacist)",
    r"\bask your (?:doctor|physician|pharmacist)\b",
    r"\bstay tuned\b",
    r"\bdon[’']?t miss\b",
    r"\bremember to\b",
    r"\bjust in case you\b",
    r"\bread (?:more|part|our|the rest)\b",
    r"\bfollow us\b",
    r"\blearn more\b",
    r"\bfind out more\b",
    r"\bvisit (?:our|us)\b",
    r"\border (?:now|today|online)\b",
)

# Legal and regulatory boilerplate.
LEGAL = (
    r"\bdisclaimer\b",
    r"\bnot been evaluated by\b",
    r"\bfood and drugs? administration\b",
    r"\bnot intended to (?:diagnose|treat|cure|prevent|replace|be)\b",
    r"\bfor (?:educational|informational) purposes\b",
    r"\beducational tool\b",
    r"\bgeneral in nature\b",
    r"\blicensed (?:pharmacy|practitioner)\b",
    r"\b(?:written )?prescription (?:is )?required\b",
    r"\bcopyright\b",
    r"©",
    r"\ball rights reserved\b",
    r"\bterms (?:of use|of service|and conditions)\b",
    r"\bprivacy policy\b",
    r"\bnot (?:a substitute for|medical advice)\b",
)

# Contact details: e-mail, phone, street address, ZIP code, "T:"/"E:" labels.
CONTACT = (
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)",
    r"\b\d{1,6} (?:[A-Z][\w.]* ){1,4}(?:Blvd|Boulevard|St|Street|Ave|Avenue|Rd|Road|Dr|Drive|"
    r"Ln|Lane|Way|Ct|Court|Pkwy|Parkway|Hwy|Highway|Pl|Place)\b",
    r"\b[Ss]uite \d+",
    r"\b[Pp]\.? ?[Oo]\.? [Bb]ox\b",
    r"\b[A-Z]{2} \d{5}(?:-\d{4})?\b",
    r"^[TFEP]: ",
)

# A sentence that only hedges in general (no figure, no specific outcome) is not a claim.
GENERAL_HEDGE = (
    r"\b(?:there is|shows?|showing|holds?|hold) (?:some |great |a lot of )?promise\b",
    r"\bpromising\b",
    r"\bmore (?:research|studies|trials) (?:is|are) (?:needed|required|warranted)\b",
    r"\bfurther (?:research|studies|trials|investigation)\b",
    r"\blarger (?:studies|trials)\b",
)

# Section headings (a line of its own): the section kind they open.
SECTION_HEADINGS = {
    "references": (
        r"references?",
        r"reference list",
        r"resources?",
        r"sources?",
        r"citations?",
        r"bibliography",
        r"further reading",
        r"works cited",
        r"literature(?: cited)?",
        r"footnotes",
        r"notes",
        r"studies cited",
        r"(?:scientific|selected|study|additional) (?:references|resources|sources)",
        r"(?:sources|references) and (?:further reading|resources|references)",
    ),
    "disclaimer": (
        r"(?:medical |legal )?disclaimers?",
        r"important (?:notice|disclaimer)",
        r"terms (?:of use|and conditions)",
        r"privacy policy",
        r"copyright.*",
    ),
    # Everything after a comments heading is comments and site footer.
    "comments": (
        r"leave a (?:reply|comment)",
        r"post a comment",
        r"comments?",
        r"\d+ (?:comments?|responses?|thoughts? on .*)",
        r"responses?",
        r"join the discussion",
        r"add (?:a )?comment",
    ),
    "furniture": (
        r"share(?: this(?: post| article| page)?)?",
        r"related (?:posts|articles|reading)",
        r"you (?:may|might) also like",
        r"recent posts",
        r"popular posts",
        r"categories",
        r"tags",
        r"archives",
        r"about the author",
        r"contact(?: us)?",
        r"follow us",
        r"newsletter",
        r"subscribe",
    ),
}


def _compile(patterns: tuple[str, ...], *, whole: bool = False) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^(?:{body})$" if whole else body, re.IGNORECASE | re.MULTILINE)


NAVIGATION_RE = _compile(NAVIGATION, whole=True)
CALL_TO_ACTION_RE = _compile(CALL_TO_ACTION)
LEGAL_RE = _compile(LEGAL)
CONTACT_RE = re.compile("|".join(f"(?:{p})" for p in CONTACT), re.MULTILINE)
GENERAL_HEDGE_RE = _compile(GENERAL_HEDGE)
_HEADING_RES = {kind: _compile(patterns, whole=True) for kind, patterns in SECTION_HEADINGS.items()}
_HEADING_NOISE = re.compile(r"^[#*=\s\d.\-–:]*|[\s:.*=#\-–]+$")
_MAX_HEADING_WORDS = 8


def _normalise_line(line: str) -> str:
    return " ".join(line.split())


def is_navigation(line: str) -> bool:
    line = _normalise_line(line).strip(" .:!|»›>")
    return len(line.split()) <= _MAX_HEADING_WORDS and bool(NAVIGATION_RE.match(line))


def heading_kind(line: str) -> str | None:
    """The section a heading line opens ("references", "disclaimer", "comments",
    "furniture"), or None when the line is not one of those headings."""
    line = _normalise_line(line)
    if not line or len(line.split()) > _MAX_HEADING_WORDS or len(line) > 80:
        return None
    core = line if re.match(r"^\d+ \w", line) else _HEADING_NOISE.sub("", line)
    core = core.strip(" :.")
    for kind, pattern in _HEADING_RES.items():
        if pattern.match(core):
            return kind
    return None


def is_call_to_action(sentence: str) -> bool:
    return bool(CALL_TO_ACTION_RE.search(sentence))


def is_legal(sentence: str) -> bool:
    return bool(LEGAL_RE.search(sentence))


def is_contact(sentence: str) -> bool:
    return bool(CONTACT_RE.search(sentence))


def is_general_hedge(sentence: str) -> bool:
    return bool(GENERAL_HEDGE_RE.search(sentence))

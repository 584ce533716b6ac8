"""Is a sentence a claim, and of which kind? The rules, in the order they are applied.

Never a claim (checked first):
 1. a sentence in a references, disclaimer, comments or other furniture section
    (`sections`) — decided by the caller;
 2. a heading: a line of its own, at most 8 words, no closing punctuation, no figure;
 3. site navigation ("Skip to main content", "Leave a Reply", "Read more");
 4. a question;
 5. contact details: e-mail, phone number, street address, ZIP code;
 6. legal or regulatory boilerplate ("not been evaluated by the FDA", "educational tool");
 7. a call to action ("check back soon", "be sure to check out", "consult your physician");
 8. a bare link line (a URL and at most three other words);
 9. a general hedge: it speaks of "promise" / "further research" and states no figure and
    no specific outcome. So "While these particular studies were small, it does indeed show
    that there is promise in low dose naltrexone and that it does appear to have a
    beneficial effect …" is a summary of the page's earlier claims, not a claim of its own.

A claim is then, by the first rule that applies:
 - "figure": it states a figure (`parse_claim_figure`: %, N-fold, X of N, p-value) and
   either cites a source or names what it is about — "Save 20% today" is not a claim;
 - "safety": it speaks of side effects, adverse events, tolerability or safety, about the
   intervention or a study ("no serious side effects were reported");
 - "mechanism": it says how the intervention works ("works via", receptors, "it is
   believed", "theorized", blocking, priming, modulating);
 - "effect": it says what the intervention does or a study found ("reduces", "improved",
   "boosted", "showed a marked increase", "effective");
 - "statement": none of the above, but the sentence carries a citation marker (a footnote,
   a link to a study, a PMID/DOI): the page cites a source for it, so it is checked.
A sentence with a citation marker or a figure that is not taken is listed as skipped,
with why (`classify_why`).
Mechanism and effect claims, and safety claims that only say "safe", need a subject: an
intervention, a pronoun standing for it ("it", "this medication"), or a study word
("study", "trial", "participants"). Side effects, adverse events, tolerability and
toxicity are safety claims on their own ("Side effects may include vivid dreams.").
"""

from __future__ import annotations

import re

from ldn_evidence.extract.furniture import (
    is_call_to_action,
    is_contact,
    is_general_hedge,
    is_legal,
    is_navigation,
)
from ldn_evidence.extract.urls import URL_RE
from ldn_evidence.extract.vocabulary import (
    conditions_in,
    interventions_in,
    outcome_in,
    population_in,
)
from ldn_evidence.figures import Figure, parse_claim_figure

EFFECT_RE = re.compile(
    r"\b(?:reduc(?:e|es|ed|ing|tions?)|improv(?:e|es|ed|ing|ements?)|increas(?:e|es|ed|ing)"
    r"|decreas(?:e|es|ed|ing)|boost(?:s|ed|ing)?|reliev(?:e|es|ed|ing)|relief|alleviat\w*"
    r"|lower(?:s|ed|ing)?|rais(?:e|es|ed|ing)|enhanc\w*|help(?:s|ed|ful)?|effective(?:ness)?"
    r"|efficacy|benefi\w*|eas(?:e|es|ed|ing)|cut|halv(?:e|ed|es)|prevent\w*|treat(?:s|ed)?"
    r"|resolv\w*|remission|normali[sz]\w*|restor\w*|suppress\w*|inhibit\w*|respon(?:d|ded|se)"
    r"|significant(?:ly)?|marked(?:ly)?|outperform\w*|superior|worse(?:ned)?|elevat\w*)\b",
    re.IGNORECASE,
)
MECHANISM_RE = re.compile(
    r"\bworks?\s+(?:via|by|through)\b|\bworked\s+(?:via|by|through)\b|\bmechanisms?\b"
    r"|\breceptors?\b|\bbind(?:s|ing)?\b|\bantagoni[sz]\w*|\bblock(?:s|ed|ing)?\b"
    r"|\bmodulat\w*|\bprim(?:e|es|ed|ing)\b|\btheori[sz]ed\b|\b(?:is|are|it['’]s)\s+believed\b"
    r"|\bthought\s+to\b|\bmicroglia\w*|\bglial\b|\bTLR4\b|\btoll[\s-]like\b"
    r"|\bup[\s-]?regulat\w*|\bdown[\s-]?regulat\w*",
    re.IGNORECASE,
)
STRONG_SAFETY_RE = re.compile(
    r"\bside[\s-]+effects?\b|\badverse\s+(?:events?|effects?|reactions?)\b"
    r"|\bwell[\s-]+tolerated\b|\btolerab\w+|\btoxicit\w*",
    re.IGNORECASE,
)
SAFETY_RE = re.compile(r"\bsafe(?:ty|ly)?\b", re.IGNORECASE)
SUBJECT_RE = re.compile(
    r"\b(?:it|this\s+(?:drug|medication|medicine|treatment|therapy)|the\s+(?:drug|medication"
    r"|treatment|therapy)|study|studies|trials?|research(?:ers)?|participants?|patients?"
    r"|subjects|volunteers|investigators|evidence|meta-analysis|review|data)\b",
    re.IGNORECASE,
)
_POINTER_RE = re.compile(
    r"^\W*(?:see(?:\s+also)?|read|learn|find\s+out|for\s+more|more\s+(?:info|information)"
    r"|visit|click|source|sources|via|reference[sd]?|cited?\s+(?:in|from)|full\s+text|link)\b",
    re.IGNORECASE,
)
_HEADING_MAX_WORDS = 8
_URL_LINE_MAX_WORDS = 3


def _names_something(sentence: str) -> bool:
    return bool(
        interventions_in(sentence)
        or conditions_in(sentence)
        or outcome_in(sentence)
        or population_in(sentence)
        or SUBJECT_RE.search(sentence)
    )


def _has_subject(sentence: str) -> bool:
    return bool(interventions_in(sentence) or SUBJECT_RE.search(sentence))


def is_heading(sentence: str, *, own_line: bool) -> bool:
    return (
        own_line
        and len(sentence.split()) <= _HEADING_MAX_WORDS
        and not sentence.rstrip("\"'”’)]").endswith((".", "!", "?", "…"))
    )


def is_excluded(sentence: str, *, own_line: bool) -> bool:
    """Rules 2–8: furniture sentences that are never claims (figure or not)."""
    if is_navigation(sentence):
        return True
    if sentence.rstrip("\"'”’)] ").endswith("?"):
        return True
    if is_contact(sentence) or is_legal(sentence) or is_call_to_action(sentence):
        return True
    urls = URL_RE.findall(sentence)
    if urls:
        words = URL_RE.sub(" ", sentence).split()
        if len(words) <= _URL_LINE_MAX_WORDS:
            return True
    return False


def classify(
    sentence: str, *, own_line: bool = False, cited: bool = False
) -> tuple[str | None, Figure | None]:
    """(kind, figure) of a sentence, kind None when it is not a claim (rules 2–9).

    A sentence that carries a citation marker (`cited`) is a claim whatever it speaks of:
    the page says a source backs it, so it is checked — as "figure" when it states one,
    else by the kinds below, else as a "statement"."""
    return classify_why(sentence, own_line=own_line, cited=cited)[:2]  # type: ignore[return-value]


def classify_why(
    sentence: str, *, own_line: bool = False, cited: bool = False
) -> tuple[str | None, Figure | None, str | None]:
    """`classify`, with why a sentence that carries a figure or a marker was not taken."""
    if is_excluded(sentence, own_line=own_line):
        return None, None, "page furniture (navigation, contact, legal text, a call to action)"
    figure = parse_claim_figure(sentence)
    if figure is not None and not cited and not _names_something(sentence):
        return None, None, "states a figure but names nothing it is about and cites no source"
    if figure is None and is_heading(sentence, own_line=own_line):
        return None, None, "a heading"
    if figure is not None:
        return "figure", figure, None
    kind = _kind(sentence)
    if kind is None and cited:
        if _POINTER_RE.match(sentence):
            return None, None, "points to a source, asserts nothing"
        if len(re.findall(r"[^\W\d_]{2,}", sentence)) < 3:
            return None, None, "too few words to assert anything"
        return "statement", None, None
    return kind, None, None if kind else "asserts no effect, mechanism or safety finding"


def _kind(sentence: str) -> str | None:
    if is_general_hedge(sentence) and outcome_in(sentence) is None:
        return None
    if STRONG_SAFETY_RE.search(sentence):
        return "safety"
    if not _has_subject(sentence):
        return None
    if SAFETY_RE.search(sentence):
        return "safety"
    if MECHANISM_RE.search(sentence):
        return "mechanism"
    if EFFECT_RE.search(sentence):
        return "effect"
    return None

"""`evaluate`: run the verification engine on labelled claim × abstract pairs and score it.

Input: JSONL, one pair a line — ``{"id", "claim", "label": SUPPORT|CONTRADICT|NEI,
"study": {"title", "abstract"}}``; other keys are ignored (a ``rationale`` is never read:
it would be the answer). Nothing is stored. Each pair goes through exactly the path a
stored claim takes in `verify`: `claim_input_from_text` builds the claim as `claims add`
stores it, `study_input` the study, `verify_claim` the verdict.

Scoring: supported and partially_supported count as SUPPORT, contradicted as CONTRADICT,
everything else (not_supported, not_in_abstract, unchecked) as NEI. Abstention is the
share of pairs left `unchecked`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ldn_evidence.errors import InputError
from ldn_evidence.verification import StudyInput, VerificationResult, verify_claim
from ldn_evidence.verification.results import (
    CONTRADICTED,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    ClaimInput,
)

LABELS = ("SUPPORT", "CONTRADICT", "NEI")
_LABEL_OF_VERDICT = {
    SUPPORTED: "SUPPORT",
    PARTIALLY_SUPPORTED: "SUPPORT",
    CONTRADICTED: "CONTRADICT",
}
MAX_LINE = 1_000_000
"""A line longer than this (1 MB) is refused: an abstract is a few kB."""


def label_of(verdict: str) -> str:
    """The benchmark label a verdict counts as."""
    return _LABEL_OF_VERDICT.get(verdict, "NEI")


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    claim: str
    label: str
    title: str
    abstract: str


@dataclass(slots=True)
class PairResult:
    id: str
    label: str
    verdict: str
    sentence: str | None
    reason: str


@dataclass(slots=True)
class Evaluation:
    results: list[PairResult] = field(default_factory=list)
    seconds: float = 0.0

    def confusion(self) -> dict[str, dict[str, int]]:
        """gold label -> predicted label -> count."""
        table = {gold: dict.fromkeys(LABELS, 0) for gold in LABELS}
        for r in self.results:
            table[r.label][label_of(r.verdict)] += 1
        return table

    def summary(self) -> dict[str, Any]:
        table = self.confusion()
        per_class: dict[str, dict[str, float | int]] = {}
        for label in LABELS:
            tp = table[label][label]
            predicted = sum(table[g][label] for g in LABELS)
            gold = sum(table[label].values())
            precision = tp / predicted if predicted else 0.0
            recall = tp / gold if gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            per_class[label] = {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "gold": gold,
                "predicted": predicted,
            }
        present = [label for label in LABELS if per_class[label]["gold"]]
        macro = (
            sum(float(per_class[label]["f1"]) for label in present) / len(present)
            if present
            else 0.0
        )
        n = len(self.results)
        verdicts: dict[str, int] = {}
        by_verdict: dict[str, dict[str, int]] = {}
        for r in self.results:
            verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
            labels = by_verdict.setdefault(r.verdict, dict.fromkeys(LABELS, 0))
            labels[r.label] += 1
        return {
            "pairs": n,
            "confusion": table,
            "per_class": per_class,
            "macro_f1": round(macro, 4),
            "macro_f1_over": present,
            "abstention": round(sum(r.verdict == UNCHECKED for r in self.results) / n, 4)
            if n
            else 0.0,
            "accuracy": round(sum(table[g][g] for g in LABELS) / n, 4) if n else 0.0,
            "verdicts": dict(sorted(verdicts.items())),
            "gold_by_verdict": dict(sorted(by_verdict.items())),
            "ms_per_pair": round(1000 * self.seconds / n, 3) if n else 0.0,
        }

    def as_dict(self) -> dict[str, Any]:
        pairs = [
            {k: v for k, v in asdict(r).items() if k in ("id", "verdict", "sentence", "reason")}
            for r in self.results
        ]
        return {"pairs": pairs, "summary": self.summary()}


def _text(value: Any, what: str, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: {what} must be a string")
    return value


def parse_pair(line: str, where: str) -> Pair:
    """One JSONL line as a Pair; InputError naming `where` (file and line) when it is not one."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{where}: not a JSON object ({exc})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: not a JSON object")
    claim = _text(obj.get("claim"), '"claim"', where).strip()
    if not claim:
        raise InputError(f'{where}: "claim" is missing or empty')
    label = obj.get("label")
    if label not in LABELS:
        raise InputError(f'{where}: "label" must be one of {", ".join(LABELS)}, got {label!r}')
    study = obj.get("study")
    if not isinstance(study, dict):
        raise InputError(f'{where}: "study" must be an object with "title" and "abstract"')
    pair_id = obj.get("id")
    if pair_id is None or isinstance(pair_id, (dict, list, bool)):
        raise InputError(f'{where}: "id" is missing or not a string or number')
    return Pair(
        id=str(pair_id),
        claim=claim,
        label=label,
        title=_text(study.get("title"), '"study.title"', where),
        abstract=_text(study.get("abstract"), '"study.abstract"', where),
    )


def read_pairs(stream: TextIO, name: str, limit: int | None = None) -> Iterator[Pair]:
    """The pairs of a JSONL stream (blank lines skipped), at most `limit` of them."""
    count = 0
    for number, line in enumerate(iter(lambda: stream.readline(MAX_LINE + 1), ""), start=1):
        if limit is not None and count >= limit:
            return
        where = f"{name}, line {number}"
        if len(line) > MAX_LINE:
            raise InputError(f"{where}: longer than {MAX_LINE:,} characters")
        if not line.strip():
            continue
        yield parse_pair(line, where)
        count += 1


def claim_input_from_text(text: str) -> ClaimInput:
    """The claim as `claims add TEXT` stores it and `verify` reads it back: the text alone.
    Everything else (figures, outcome, direction, population) the engine reads from it."""
    return ClaimInput(text=text)


def run_pair(pair: Pair) -> VerificationResult:
    return verify_claim(
        claim_input_from_text(pair.claim), StudyInput(title=pair.title, abstract=pair.abstract)
    )


def evaluate(pairs: Iterable[Pair]) -> Evaluation:
    """Verdicts for every pair (in order) and the time the engine took."""
    out = Evaluation()
    spent = 0.0
    for pair in pairs:
        started = time.perf_counter()
        result = run_pair(pair)
        spent += time.perf_counter() - started
        out.results.append(
            PairResult(
                id=pair.id,
                label=pair.label,
                verdict=result.verdict,
                sentence=" … ".join(result.sentences) if result.sentences else None,
                reason=result.reason,
            )
        )
    out.seconds = spent
    return out


def evaluate_file(path: Path | str, limit: int | None = None) -> Evaluation:
    """`evaluate` on a JSONL file ("-" reads standard input)."""
    import sys

    if limit is not None and limit < 1:
        raise InputError("--limit must be at least 1")
    if str(path) == "-":
        return evaluate(list(read_pairs(sys.stdin, "<stdin>", limit)))
    import io

    from ldn_evidence.services.inputs import open_regular

    p = Path(path)
    try:
        with io.TextIOWrapper(open_regular(p, what="a JSONL file"), encoding="utf-8") as stream:
            pairs = list(read_pairs(stream, str(p), limit))
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    return evaluate(pairs)

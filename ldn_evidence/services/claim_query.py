"""Which claims a list or an export selects, in which order: `claims_query` (a select of
claim ids), the sort orders and the batch size claims are read in. Core
statements on `models.tables`, run on a `Connection` or a `Session` (`services.claims`
loads the selected claims as entities); imports no ORM."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, exists, or_, select

from ldn_evidence.errors import InputError
from ldn_evidence.models import tables
from ldn_evidence.services.checks import check_verdict
from ldn_evidence.services.grading import levels_from
from ldn_evidence.services.text_search import contains_any

if TYPE_CHECKING:
    pass

BATCH_SIZE = 1000

_claim, _citation, _study = tables.claims.c, tables.citations.c, tables.studies.c

SORTS: dict[str, tuple[Any, ...]] = {
    "position": (_claim.document_id.is_(None), _claim.document_id, _claim.position, _claim.id),
    "id": (_claim.id,),
    "figure": (_claim.figure_value.is_(None), _claim.figure_value.desc(), _claim.id),
    "created": (_claim.created_at, _claim.id),
    "updated": (_claim.updated_at.desc(), _claim.id),
}


def claims_query(
    *,
    document_id: int | None = None,
    verdict: str | None = None,
    level: str | None = None,
    unsourced: bool = False,
    search: str | None = None,
    sort: str = "position",
) -> Select[Any]:
    """The ids of the claims selected, in order. `level`: claims citing a study at this
    evidence level or stronger (`grading.levels_from`).

    `search` is case-insensitive over the claim text and the cited studies' titles and
    abstracts (LIKE on both engines).
    """
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    query = select(_claim.id).order_by(*SORTS[sort])
    if document_id is not None:
        query = query.where(_claim.document_id == document_id)
    if verdict is not None:
        check_verdict(verdict)
        query = query.where(
            exists().where(_citation.claim_id == _claim.id, _citation.verdict == verdict)
        )
    if level is not None:
        levels = levels_from(level)
        query = query.where(
            exists().where(
                _citation.claim_id == _claim.id,
                _citation.study_id == _study.id,
                _study.evidence_level.in_(levels),
            )
        )
    if unsourced:
        query = query.where(
            _claim.figure_value.is_not(None), ~exists().where(_citation.claim_id == _claim.id)
        )
    if search:
        in_study = exists().where(
            _citation.claim_id == _claim.id,
            _citation.study_id == _study.id,
            contains_any(search, _study.title, _study.abstract),
        )
        query = query.where(or_(contains_any(search, _claim.text), in_study))
    return query

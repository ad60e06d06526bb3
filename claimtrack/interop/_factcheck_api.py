"""The Google Fact Check Tools API's ``claims:search`` answer, read into records.

Each ``claims[]`` element is a claim (``text``, ``claimant``, ``claimDate``) with
``claimReview[]`` reviews (``publisher``, ``url``, ``reviewDate``, ``textualRating``):
every review is one item, read like a ClaimReview (see
:mod:`claimtrack.interop.claimreview`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from claimtrack._model import Record

from ._claimreview_shapes import ItemFailedError, what
from ._common import child

if TYPE_CHECKING:
    from ._claimreview_read import Reader


def api_claim(reader: Reader, claim: Any, path: str) -> Iterator[tuple[Any, str]]:
    """The (claim, review) pairs of one claim of the answer, each with its path."""
    if not isinstance(claim, dict):
        reader.note(path, f"{what(claim)}, not a claim; ignored")
        return
    reviews = claim.get("claimReview")
    reviews = reviews if isinstance(reviews, list) else [] if reviews is None else [reviews]
    for i, review in enumerate(reviews):
        yield (claim, review), child(child(path, "claimReview"), i)


def api_review(reader: Reader, pair: tuple[Any, Any], path: str, staged: list[Record]) -> None:
    """One review of one claim: the claim (or the one already read), its ruling."""
    claim, review = pair
    claim_path = path.rsplit(".claimReview", 1)[0]
    if not isinstance(review, dict):
        reader.item.error(path, f"is {what(review)}, not a review")
        raise ItemFailedError
    text = reader.text(claim, "text", claim_path, required=True)
    publisher, publisher_path = reader.obj(review, "publisher", path)
    by = reader.name_of(publisher, publisher_path)
    if by is None and isinstance(publisher, dict):
        by = reader.text(publisher, "site", publisher_path, required=False)
    review_date = reader.date(review, "reviewDate", path)
    stated = reader.date(claim, "claimDate", claim_path)
    if stated is None and review_date is not None:
        stated = review_date
        reader.item.note(
            child(claim_path, "claimDate"), f"is missing; the review's date {stated} is taken"
        )
    if stated is None:
        reader.item.error(child(claim_path, "claimDate"), "is missing (and the review has no date)")
    if text is None or stated is None:
        raise ItemFailedError
    claimant = claim.get("claimant")
    reader.claim_and_ruling(
        staged,
        path=path,
        text=text,
        text_path=child(claim_path, "text"),
        author=claimant if isinstance(claimant, str) and claimant.strip() else None,
        author_path=child(claim_path, "claimant"),
        stated=stated,
        stated_path=child(claim_path, "claimDate"),
        quote=None,
        quote_path=path,
        topics=(),
        source=None,
        ident=None,
        rating=reader.text(review, "textualRating", path, required=False),
        rating_path=child(path, "textualRating"),
        review_date=review_date,
        by=by,
        review_url=reader.text(review, "url", path, required=False),
        extra={},
        item_path=claim_path,
    )

"""Interoperability: schema.org ClaimReview JSON-LD, CSV for spreadsheets, DataFrames.

Every importer reads untrusted input within :class:`ImportLimits`, is all or nothing
(one bad item and nothing is added; every problem is raised at once as an
``ExceptionGroup`` of :class:`~claimtrack.errors.ImportFormatError`, each naming where
in the document it is), and returns an :class:`ImportReport`.

Example:
    >>> import claimtrack as ct
    >>> from claimtrack.interop import import_claimreviews
    >>> tracker = ct.Tracker()
    >>> report = import_claimreviews(tracker, {
    ...     "@context": "https://schema.org", "@type": "ClaimReview",
    ...     "claimReviewed": "Russia will not withdraw from the annexed territories.",
    ...     "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-18",
    ...                      "author": {"@type": "Organization", "name": "Kremlin"}},
    ...     "reviewRating": {"@type": "Rating", "alternateName": "True"}})
    >>> report.counts
    {'speaker': 1, 'claim': 1, 'ruling': 1}

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from ._common import ImportLimits, ImportReport, ImportSource, Skipped, UnknownRating
from .claimreview import (
    EXPORT_SCALE,
    NUMERIC_SCALE,
    RATINGS,
    export_claimreviews,
    from_claimreview,
    import_claimreviews,
    rating_verdict,
    to_claimreview,
    to_html_script,
)

__all__ = [
    "EXPORT_SCALE",
    "NUMERIC_SCALE",
    "RATINGS",
    "ImportLimits",
    "ImportReport",
    "ImportSource",
    "Skipped",
    "UnknownRating",
    "export_claimreviews",
    "from_claimreview",
    "import_claimreviews",
    "rating_verdict",
    "to_claimreview",
    "to_html_script",
]

"""Interoperability: schema.org ClaimReview JSON-LD, CSV for spreadsheets, DataFrames.

The formats live in their own modules, imported by name:
:mod:`claimtrack.interop.claimreview` (schema.org ``ClaimReview`` in and out) and
:mod:`claimtrack.interop.tabular` (CSV, and pandas DataFrames with the ``pandas``
extra), and :mod:`claimtrack.interop.forecasts` (forecast CSV files in).  This package
holds what they share.

Every importer reads untrusted input within :class:`ImportLimits` and returns an
:class:`ImportReport`.  By default it is all or nothing (one bad item and nothing is
added; every problem is raised at once as an ``ExceptionGroup`` of
:class:`~claimtrack.errors.ImportFormatError`, each naming where in the document it
is); with ``on_error="skip"`` (:data:`OnError`) each item is all or nothing and the
items that cannot be imported are listed in the report.

Example:
    >>> import claimtrack as ct
    >>> from claimtrack.interop.claimreview import import_claimreviews
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

from ._common import (
    ImportLimits,
    ImportReport,
    ImportSource,
    Note,
    OnError,
    Skipped,
    UnknownRating,
)

__all__ = [
    "ImportLimits",
    "ImportReport",
    "ImportSource",
    "Note",
    "OnError",
    "Skipped",
    "UnknownRating",
]

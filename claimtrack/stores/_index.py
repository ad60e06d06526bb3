"""In-memory indexes over a ledger: how the memory and JSON Lines stores answer queries.

:class:`LedgerIndex` holds every record once, by id in ``seq`` order, and indexes it
the ways :class:`~claimtrack.stores.Store` is asked: claims by speaker, topic and kind;
evidence and rulings by claim; every retraction by the claim it bears on (through any
chain of retractions of retractions, resolved once, on adding it, so a chain of any
length costs O(1) a link).  A record read from a file is checked against what precedes
it: a claim's speaker, a piece of evidence's or a ruling's claim, and a retraction's
target must come earlier in the file, or the file is a
:class:`~claimtrack.errors.CorruptStoreError` naming the records (so a cycle of
retractions can never be stored, nor make a reader loop).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Iterator, Sequence

from claimtrack._model import (
    KIND_NAMES,
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Speaker,
)
from claimtrack.errors import CorruptStoreError, DuplicateRecordError, UnknownRecordError

from ._base import ClaimRecords, type_counts

__all__ = ["IndexedStore", "LedgerIndex", "tokens"]

_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """The words of *text*, case-folded (the memory stores' search index)."""
    return _WORD.findall(text.casefold())


class LedgerIndex:
    """Every record of a ledger, indexed for the queries of the Store protocol.

    Args:
        path: the file the records come from, for error messages (``None``: memory).
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.by_id: dict[str, Record] = {}  # insertion order is seq order
        self.speakers: dict[str, Speaker] = {}
        self.claims: dict[str, Claim] = {}
        self.by_speaker: dict[str, list[Claim]] = {}
        self.by_topic: dict[str, list[Claim]] = {}
        self.by_kind: dict[ClaimKind, list[Claim]] = {}
        self.evidence: dict[str, list[Evidence]] = {}
        self.rulings: dict[str, list[Ruling]] = {}
        self.forecasts: dict[str, list[Forecast]] = {}  # by claim
        self.forecasts_by_speaker: dict[str, list[Forecast]] = {}
        self.retractions: dict[str, list[Retraction]] = {}  # by the claim they bear on
        self.claim_of_retraction: dict[str, str] = {}
        self.counts = type_counts()
        self._words: dict[str, dict[str, int]] | None = None  # built by the first search

    # -- adding ------------------------------------------------------------------------

    def check(self, records: Sequence[Record]) -> None:
        """Refuse *records* if an id is taken or a reference does not resolve.

        A reference must resolve to an earlier record; nothing is added either way.
        """
        batch: dict[str, Record] = {}
        by_id = self.by_id
        for record in records:
            taken = by_id.get(record.id) or batch.get(record.id)
            if taken is not None:
                raise DuplicateRecordError(record.id, kind=KIND_NAMES[type(taken)])
            for ref, cls, kind in _references(record):
                found = by_id.get(ref) or batch.get(ref)
                if found is None or not isinstance(found, cls):
                    raise UnknownRecordError(ref, kind=kind)
            batch[record.id] = record

    def add(self, record: Record, line: int | None = None) -> None:
        """Index *record*, read from the store (*line*: where, for error messages).

        Raises:
            CorruptStoreError: its id is taken, or what it refers to is not an
                earlier record of the right type.
        """
        by_id = self.by_id
        record_id = record.id
        if record_id in by_id:
            raise CorruptStoreError(f"id {record_id!r} appears twice", path=self.path, line=line)
        t = type(record)
        if t is Evidence:
            evidence: Evidence = record  # type: ignore[assignment]
            found = self.evidence.get(evidence.claim_id)
            if found is None:
                if evidence.claim_id not in self.claims:
                    self._dangling(record, evidence.claim_id, "claim", line)
                self.evidence[evidence.claim_id] = [evidence]
            else:
                found.append(evidence)
        elif t is Claim:
            claim: Claim = record  # type: ignore[assignment]
            if claim.speaker_id not in self.speakers:
                self._dangling(record, claim.speaker_id, "speaker", line)
            self.claims[record_id] = claim
            self.by_speaker.setdefault(claim.speaker_id, []).append(claim)
            self.by_kind.setdefault(claim.kind, []).append(claim)
            for topic in claim.topics:
                self.by_topic.setdefault(topic, []).append(claim)
        elif t is Speaker:
            self.speakers[record_id] = record  # type: ignore[assignment]
        elif t is Ruling:
            ruling: Ruling = record  # type: ignore[assignment]
            if ruling.claim_id not in self.claims:
                self._dangling(record, ruling.claim_id, "claim", line)
            self.rulings.setdefault(ruling.claim_id, []).append(ruling)
        elif t is Forecast:
            forecast: Forecast = record  # type: ignore[assignment]
            if forecast.claim_id not in self.claims:
                self._dangling(record, forecast.claim_id, "claim", line)
            if forecast.speaker_id not in self.speakers:
                self._dangling(record, forecast.speaker_id, "speaker", line)
            self.forecasts.setdefault(forecast.claim_id, []).append(forecast)
            self.forecasts_by_speaker.setdefault(forecast.speaker_id, []).append(forecast)
        elif t is Retraction:
            retraction: Retraction = record  # type: ignore[assignment]
            claim_id = self.claim_of(retraction.target_id)
            if claim_id is None:
                target = by_id.get(retraction.target_id)
                if target is None:
                    what = (
                        "itself"
                        if retraction.target_id == record_id
                        else f"{retraction.target_id!r}, which does not come before it"
                    )
                    raise CorruptStoreError(
                        f"retraction {record_id!r} retracts {what} "
                        "(a retraction must follow what it retracts: a cycle or a "
                        "dangling reference)",
                        path=self.path,
                        line=line,
                    )
                raise CorruptStoreError(
                    f"retraction {record_id!r} retracts {retraction.target_id!r}, "
                    f"a {KIND_NAMES[type(target)]}, which cannot be retracted",
                    path=self.path,
                    line=line,
                )
            self.claim_of_retraction[record_id] = claim_id
            self.retractions.setdefault(claim_id, []).append(retraction)
        else:
            raise CorruptStoreError(f"not a record: {record!r:.80}", path=self.path, line=line)
        by_id[record_id] = record
        self.counts[KIND_NAMES[t]] += 1
        if self._words is not None and t in (Claim, Evidence):
            self._index_words(record)  # type: ignore[arg-type]

    def add_all(self, records: Iterable[Record]) -> None:
        """:meth:`add` each record, in order."""
        add = self.add
        for record in records:
            add(record)

    def _dangling(self, record: Record, ref: str, kind: str, line: int | None) -> None:
        kind_name = KIND_NAMES[type(record)]
        raise CorruptStoreError(
            f"{kind_name} {record.id!r} refers to {kind} {ref!r}, which does not come before it",
            path=self.path,
            line=line,
        )

    # -- queries -----------------------------------------------------------------------

    def claim_of(self, record_id: str) -> str | None:
        """The id of the claim *record_id* bears on (through retractions), if any."""
        found = self.by_id.get(record_id)
        if found is None or type(found) is Speaker:
            return None
        if type(found) is Claim:
            return record_id
        if type(found) is Retraction:
            return self.claim_of_retraction.get(record_id)
        return found.claim_id  # type: ignore[union-attr]

    def claim_records(self, claim_id: str) -> ClaimRecords | None:
        claim = self.claims.get(claim_id)
        if claim is None:
            return None
        return ClaimRecords(
            claim,
            tuple(self.evidence.get(claim_id, ())),
            tuple(self.rulings.get(claim_id, ())),
            tuple(self.forecasts.get(claim_id, ())),
            tuple(self.retractions.get(claim_id, ())),
        )

    def select_forecasts(
        self, speaker_id: str | None = None, claim_id: str | None = None
    ) -> list[Forecast]:
        """The forecasts by *speaker_id* and of *claim_id* (``None``: any), in seq order."""
        if claim_id is not None:
            found = self.forecasts.get(claim_id, [])
            if speaker_id is not None:
                return [f for f in found if f.speaker_id == speaker_id]
            return list(found)
        if speaker_id is not None:
            return list(self.forecasts_by_speaker.get(speaker_id, []))
        return [r for r in self.by_id.values() if type(r) is Forecast]

    def retractions_of(self, record_id: str) -> tuple[Retraction, ...]:
        claim_id = self.claim_of(record_id)
        if claim_id is None:
            return ()
        reached = {record_id}
        found = []
        for retraction in self.retractions.get(claim_id, ()):  # targets precede: one pass
            if retraction.target_id in reached:
                reached.add(retraction.id)
                found.append(retraction)
        return tuple(found)

    def select_claims(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> list[Claim]:
        candidates: list[list[Claim]] = []
        if speaker_id is not None:
            candidates.append(self.by_speaker.get(speaker_id, []))
        if topic is not None:
            candidates.append(self.by_topic.get(topic, []))
        if kind is not None:
            candidates.append(self.by_kind.get(kind, []))
        pool: Iterable[Claim] = self.claims.values()
        if candidates:
            smallest: list[Claim] = min(candidates, key=len)
            pool = smallest
        return [
            c
            for c in pool
            if (speaker_id is None or c.speaker_id == speaker_id)
            and (topic is None or topic in c.topics)
            and (kind is None or c.kind is kind)
            and (stated_from is None or c.stated_on.end >= stated_from)
            and (stated_until is None or c.stated_on.end <= stated_until)
        ]

    def each_claim(self, claims: Iterable[Claim] | None = None) -> Iterator[ClaimRecords]:
        for claim in list(self.claims.values()) if claims is None else claims:
            found = self.claim_records(claim.id)
            if found is not None:
                yield found

    def _index_words(self, record: Claim | Evidence) -> None:
        assert self._words is not None
        for word in tokens(record.text):
            hits = self._words.setdefault(word, {})
            hits[record.id] = hits.get(record.id, 0) + 1

    def search(self, words: str, *, limit: int = 20) -> list[tuple[Record, float]]:
        """Claims and evidence holding every word of *words* (case-folded).

        Scored by how often they hold them, weighted by how rare each word is (tf-idf).
        """
        wanted = tokens(words)
        if not wanted or limit <= 0:
            return []
        if self._words is None:
            self._words = {}
            for record in self.by_id.values():
                if type(record) is Claim or type(record) is Evidence:
                    self._index_words(record)
        index = self._words
        postings = [index.get(w, {}) for w in dict.fromkeys(wanted)]
        if not all(postings):
            return []
        postings.sort(key=len)
        total = self.counts["claim"] + self.counts["evidence"]
        scores: dict[str, float] = {}
        for record_id in postings[0]:
            if all(record_id in p for p in postings[1:]):
                scores[record_id] = sum(
                    p[record_id] * math.log(1 + total / len(p)) for p in postings
                )
        seq = {rid: i for i, rid in enumerate(self.by_id)} if len(scores) > limit else {}
        best = sorted(scores.items(), key=lambda kv: (-kv[1], seq.get(kv[0], 0)))[:limit]
        return [(self.by_id[rid], score) for rid, score in best]


class IndexedStore:
    """The queries of the Store protocol, answered from a :class:`LedgerIndex`.

    A subclass sets ``_index``; :meth:`_fresh` (nothing here) is called first by
    every query, for a store that must read what other writers added.
    """

    _index: LedgerIndex

    def _fresh(self) -> None:
        """Take in what other writers committed (nothing for a store of one process)."""

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or ``None``."""
        self._fresh()
        return self._index.by_id.get(record_id)

    def claim_of(self, record_id: str) -> str | None:
        """The id of the claim *record_id* bears on, through retractions; ``None`` if none."""
        self._fresh()
        return self._index.claim_of(record_id)

    def claim_records(self, claim_id: str) -> ClaimRecords | None:
        """Everything bearing on the claim; ``None`` if no claim has that id."""
        self._fresh()
        return self._index.claim_records(claim_id)

    def retractions_of(self, record_id: str) -> tuple[Retraction, ...]:
        """Every retraction below *record_id*, transitively, in seq order."""
        self._fresh()
        return self._index.retractions_of(record_id)

    def claims(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> Iterator[Claim]:
        """Claims matching every filter, retracted ones included, in seq order."""
        self._fresh()
        return iter(
            self._index.select_claims(
                speaker_id=speaker_id,
                topic=topic,
                kind=kind,
                stated_from=stated_from,
                stated_until=stated_until,
            )
        )

    def speakers(self) -> Iterator[Speaker]:
        """Every speaker, in seq order."""
        self._fresh()
        return iter(list(self._index.speakers.values()))

    def counts(self) -> dict[str, int]:
        """Records per type name, 0 included."""
        self._fresh()
        return dict(self._index.counts)

    def records(self) -> Iterator[Record]:
        """Every record, in seq order."""
        self._fresh()
        return iter(list(self._index.by_id.values()))

    def each_claim(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> Iterator[ClaimRecords]:
        """The records of every claim matching the filters, in claim seq order.

        The filters are those of :meth:`claims`.
        """
        self._fresh()
        index = self._index
        if all(f is None for f in (speaker_id, topic, kind, stated_from, stated_until)):
            return index.each_claim()
        return index.each_claim(
            index.select_claims(
                speaker_id=speaker_id,
                topic=topic,
                kind=kind,
                stated_from=stated_from,
                stated_until=stated_until,
            )
        )

    def forecasts(
        self, *, speaker_id: str | None = None, claim_id: str | None = None
    ) -> Iterator[Forecast]:
        """The forecasts by *speaker_id* and of *claim_id*, retracted ones included."""
        self._fresh()
        return iter(self._index.select_forecasts(speaker_id, claim_id))

    def search(self, words: str, *, limit: int = 20) -> list[tuple[Record, float]]:
        """Claims and evidence holding every word of *words*, best first.

        A word index, built by the first search.
        """
        self._fresh()
        return self._index.search(words, limit=limit)


def _references(record: Record) -> list[tuple[str, type | tuple[type, ...], str]]:
    """What *record* refers to: each id, the type(s) it must be, and its kind's name."""
    if isinstance(record, Claim):
        return [(record.speaker_id, Speaker, "speaker")]
    if isinstance(record, Evidence | Ruling):
        return [(record.claim_id, Claim, "claim")]
    if isinstance(record, Forecast):
        return [(record.claim_id, Claim, "claim"), (record.speaker_id, Speaker, "speaker")]
    if isinstance(record, Retraction):
        return [(record.target_id, (Claim, Evidence, Forecast, Ruling, Retraction), "record")]
    return []

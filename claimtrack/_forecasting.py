"""The tracker's forecast methods: recording forecasts, resolution dates, forecast records.

A mixin of :class:`~claimtrack.Tracker`, kept apart from it: these methods use only
the tracker's helpers named under ``TYPE_CHECKING`` below (the store's queries, the
per-claim state in the tracker's bounded cache, with its records, what stands
withdrawn, its running tally and its assessment as it stands), and the pure scoring in
:mod:`claimtrack._forecasts`.  A claim's forecasts reach the tracker in its
:class:`~claimtrack.stores.ClaimRecords` (``forecasts``); a speaker's, through the
store's :meth:`~claimtrack.stores.Store.forecasts` query.
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from ._dates import DateInput, PartialDate
from ._enums import ClaimKind, Verdict, to_enum
from ._firstdays import FirstDays, first_days_pass
from ._forecasts import ClaimForecastScore, ForecastRecord, score_claim
from ._model import Claim, Forecast, Source, Speaker, clean_text, slot_setters
from ._records import _check_level
from ._scoring import Assessment
from .errors import InvalidRecordError

if TYPE_CHECKING:
    from ._model import Evidence, Record
    from ._scoring import EvidenceWeighing, ScoringPolicy
    from ._tallies import ClaimCache, ClaimState
    from .stores import ClaimRecords, Store

__all__ = ["ForecastMixin"]

_OUTCOMES = {Verdict.HELD: 1, Verdict.FAILED: 0}
_EARLIEST = _dt.datetime.min.replace(tzinfo=_dt.UTC)
_ASSESSMENT_FIELDS = tuple(f.name for f in attrs.fields(Assessment))
_ASSESSMENT_VALUES = operator.attrgetter(*_ASSESSMENT_FIELDS)
_ASSESSMENT_SETTERS = slot_setters(Assessment)
_SET_RESOLVED_ON = vars(Assessment)["resolved_on"].__set__

# (forecaster, day, probability), and the order in which a claim's forecasts stand
_Triple = tuple[str, _dt.date, float]


def _resolved(assessment: Assessment, day: PartialDate) -> Assessment:
    """A copy of *assessment* with ``resolved_on`` set.

    Its fields are copied as they are, slot by slot: ``attrs.evolve`` would run
    ``__init__``, five times slower.
    """
    made: Assessment = object.__new__(type(assessment))
    for set_field, value in zip(_ASSESSMENT_SETTERS, _ASSESSMENT_VALUES(assessment), strict=True):
        set_field(made, value)
    _SET_RESOLVED_ON(made, day)
    return made


class ForecastMixin:
    """Forecast methods of :class:`~claimtrack.Tracker` (see the module docstring)."""

    if TYPE_CHECKING:
        _store: Store
        _cache: ClaimCache
        _policy: ScoringPolicy
        _weighing: EvidenceWeighing | None
        _weights: dict[tuple[str, str, float], tuple[int, float, float]]

        def _sync(self) -> tuple[Record, ...]: ...
        def _state(self, claim: Any, name: str = "claim") -> ClaimState: ...
        def _states(self, found: Iterable[ClaimRecords]) -> Iterator[ClaimState]: ...
        def _resolve(self, value: Any, cls: type[Any], name: str) -> Any: ...
        def _today(self) -> PartialDate: ...
        def _date(self, value: Any, field: str) -> Any: ...
        def _as_of_arg(self, as_of: DateInput | None) -> PartialDate | None: ...
        def _count_on(self, claim: Claim | str, what: str) -> Callable[[], str]: ...
        def _add_new(
            self,
            given: str | None,
            make: Callable[[str], Any],
            base: Callable[[], str],
            fallback: str,
            *,
            allow_future: bool = False,
        ) -> Any: ...
        def _assess(
            self,
            state: ClaimState,
            as_of: PartialDate | None,
            known_at: _dt.datetime | None,
            today: PartialDate | None,
        ) -> Assessment: ...

    # -- recording ----------------------------------------------------------------------

    def forecast(
        self,
        claim: Claim | str,
        *,
        by: Speaker | str,
        probability: float,
        made_on: DateInput,
        id: str | None = None,
        source: Source | None = None,
        recorded_at: _dt.datetime | None = None,
        allow_future: bool = False,
    ) -> Forecast:
        """Record someone's probability, on a day, that a claim will hold.

        Anyone on record may forecast any claim, any number of times; the latest
        forecast a speaker made on or before a day is the one standing that day.  A
        claim's own ``confidence`` counts as its speaker's forecast made on
        ``stated_on``.  Retract a forecast with :meth:`retract`.

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            by: the forecaster: a :class:`~claimtrack.Speaker` or their id.
            probability: the probability, in [0, 1], that the claim will hold.
            made_on: when the forecast was made (any date input); not before the
                claim was stated.
            id: the id to use; by default ``<claim id>-f<n>``.
            source: where the forecast was published.
            recorded_at: knowledge time, for imports.
            allow_future: accept a *made_on* after today (by the tracker's clock).

        Returns:
            The stored :class:`~claimtrack.Forecast`.

        Raises:
            InvalidRecordError: *probability* outside [0, 1], *made_on* before the claim
                was stated or after today, or another bad field (naming it).
            UnknownRecordError: the claim or the forecaster is not in the tracker.

        Example:
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Alice", id="alice")
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> t.forecast("c", by="alice", probability=0.7, made_on="2025-03-01")
            Forecast(id='c-f1', claim_id='c', speaker_id='alice', probability=0.7,
                     made_on=PartialDate('2025-03-01'))

        Cost: O(1).
        """
        self._sync()
        target = self._state(claim).claim
        who: Speaker = self._resolve(by, Speaker, "by")
        stored: Forecast = self._add_new(
            id,
            lambda new_id: Forecast(
                new_id,
                target.id,
                who.id,
                probability,
                made_on=self._date(made_on, "made_on"),
                source=source,
                recorded_at=recorded_at,
            ),
            self._count_on(target.id, "f"),
            "forecast",
            allow_future=allow_future,
        )
        return stored

    def forecasts(
        self, claim: Claim | str | None = None, *, by: Speaker | str | None = None
    ) -> tuple[Forecast, ...]:
        """The forecasts recorded on a claim, or by a speaker, retracted ones too, in order.

        Args:
            claim: only forecasts of this claim (a :class:`~claimtrack.Claim` or its id).
            by: only forecasts by this speaker.

        Raises:
            UnknownRecordError: the claim or the speaker is not in the tracker.
            InvalidRecordError: neither *claim* nor *by* is given.

        Example:
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Alice", id="alice")
            >>> _ = t.add_claim("alice", "It will rain.", id="c", stated_on="2025-03-01")
            >>> _ = t.forecast("c", by="alice", probability=0.6, made_on="2025-03-01")
            >>> [f.probability for f in t.forecasts("c")]
            [0.6]

        Cost: O(forecasts returned).
        """
        self._sync()
        if claim is None and by is None:
            raise InvalidRecordError("claim", None, "give a claim, a forecaster (by=), or both")
        claim_id = None if claim is None else self._resolve(claim, Claim, "claim").id
        speaker_id = None if by is None else self._resolve(by, Speaker, "by").id
        return tuple(self._store.forecasts(speaker_id=speaker_id, claim_id=claim_id))

    # -- resolution -------------------------------------------------------------------------

    def _resolution_of(
        self,
        state: ClaimState,
        final: Assessment,
        as_of: PartialDate | None,
        known: _dt.datetime | None,
    ) -> tuple[int, _dt.date] | None:
        """``(outcome, resolved_on)`` of a claim whose assessment is *final*.

        ``resolved_on`` is the first day D for which the claim judged as of D (with
        *known*) has its final verdict, ``HELD`` or ``FAILED``; ``None`` if the verdict
        is neither.  A verdict can change only where evidence or a ruling that counts
        takes effect (and, between ``PENDING`` and ``UNRESOLVED``, at the due date,
        which does not matter here), so only those days are tried.
        """
        outcome = _OUTCOMES.get(final.verdict)
        if outcome is None:
            return None
        if known is None and self._weighing is not None:
            day = self._first_day_tallied(state, final.verdict, as_of, self._weighing)
            if day is not None:
                return outcome, day
        return self._first_day_assessed(state, final, as_of, known)

    def _first_day_assessed(
        self,
        state: ClaimState,
        final: Assessment,
        as_of: PartialDate | None,
        known: _dt.datetime | None,
    ) -> tuple[int, _dt.date]:
        """:meth:`_resolution_of` by assessing the claim at each change point in turn.

        Any policy; each assessment costs what :meth:`assess` does (for the default
        policy, a copy of the contributions up to the day).
        """
        outcome = _OUTCOMES[final.verdict]
        claim = state.claim
        withdrawn = state.withdrawn_at(known)

        def counts(record: Evidence | Any) -> bool:
            if known is not None:
                at = record.recorded_at
                if at is None or at > known:
                    return False
            return record.id not in withdrawn

        days = {claim.stated_on.end}
        days.update(e.observed_on.end for e in state.evidence if counts(e))
        days.update(r.on.end for r in state.rulings if counts(r))
        limit = _dt.date.max if as_of is None else as_of.end
        verdict = final.verdict
        for day in sorted(days):
            if day > limit:
                break
            if self._assess(state, PartialDate.coerce(day), known, None).verdict is verdict:
                return outcome, day
        return outcome, min(limit, max(days))  # (not reached: the last day has the verdict)

    def _first_day_tallied(
        self,
        state: ClaimState,
        verdict: Verdict,
        as_of: PartialDate | None,
        weighing: EvidenceWeighing,
    ) -> _dt.date | None:
        """:meth:`_first_day_assessed` for the default policy, from the claim's first days.

        The first day the claim (judged as of that day, on everything recorded) was
        ``HELD``, and the first it was ``FAILED``, are kept in its state
        (:meth:`_first_days`); the first day up to *as_of* with *verdict* is the first
        day with it, if that is not after *as_of*.  ``None`` if no day up to *as_of* has
        *verdict* (the caller then asks the slow way).
        """
        day = self._first_days(state, weighing).of(verdict, as_of)
        return None if day is None else day.end

    def _first_days(self, state: ClaimState, weighing: EvidenceWeighing) -> FirstDays:
        """The first days the claim was ``HELD`` and ``FAILED``, kept in its state.

        Kept with the number of evidence records, rulings and retractions they were
        found from (a claim's records only grow).  When only evidence arrived since, all
        of it on one day no earlier than the last day counted (evidence added as things
        happen), no earlier day's verdict changed: the days are brought up to date from
        the claim's verdict on that day, which is its verdict as it stands, in O(1)
        (plus the tally's view of everything, kept after an assessment).  Otherwise
        one pass over the claim's evidence (:meth:`_first_days_pass`).
        """
        known: FirstDays | None = state.first_days
        n_evidence, n_rulings = len(state.evidence), len(state.rulings)
        n_retractions = len(state.retractions)
        if known is not None:
            if known.evidence == n_evidence and known.rulings == n_rulings:
                if known.retractions == n_retractions:
                    return known
            elif (
                known.evidence < n_evidence
                and known.rulings == n_rulings
                and known.retractions == n_retractions
            ):
                new = state.evidence[known.evidence :]
                day = new[0].observed_on.end
                if day >= known.through and all(e.observed_on.end == day for e in new):
                    ruling = known.ruling  # every ruling is dated by the last day counted
                    if ruling is not None:
                        verdict = ruling.verdict
                    else:
                        _, total, counts = state.tally_for(weighing, self._weights).view(None)
                        verdict = weighing._verdict(total, counts, False)[0]
                    # a first day on *day* itself (the last day counted) may have changed
                    held, failed = known.held, known.failed
                    if held is not None and held.end >= day:
                        held = None
                    if failed is not None and failed.end >= day:
                        failed = None
                    if verdict is Verdict.HELD and held is None:
                        held = PartialDate.coerce(day)
                    elif verdict is Verdict.FAILED and failed is None:
                        failed = PartialDate.coerce(day)
                    found = FirstDays(
                        day, held, failed, ruling, n_evidence, n_rulings, n_retractions
                    )
                    state.first_days = found
                    return found
        found = self._first_days_pass(state, weighing)
        state.first_days = found
        return found

    def _first_days_pass(self, state: ClaimState, weighing: EvidenceWeighing) -> FirstDays:
        """:meth:`_first_days` in one pass over the claim's evidence.

        See :func:`~claimtrack._firstdays.first_days_pass`.
        """
        return first_days_pass(state, weighing, self._weights)

    def _resolution(
        self, claim: Claim | str, as_of: PartialDate | None
    ) -> tuple[int, _dt.date] | None:
        """``(outcome, resolved_on)`` of a claim judged as of *as_of*; ``None`` if open."""
        self._sync()
        state = self._state(claim)
        final = self._assess(state, as_of, None, None if as_of is not None else self._today())
        return self._resolution_of(state, final, as_of, None)

    def _forecast_triples(self, claim: Claim | str) -> list[_Triple]:
        """:meth:`_claim_forecasts` of a claim given by record or id."""
        return self._claim_forecasts(self._state(claim))

    def _with_resolved_on(self, state: ClaimState, assessment: Assessment) -> Assessment:
        """*assessment* with ``resolved_on`` filled in (see ``Assessment.resolved_on``).

        The claim as it stands (no ``as_of``, no ``known_at``) is kept so in the
        claim's cached state, so that asking again costs nothing.
        """
        verdict = assessment.verdict
        if verdict not in _OUTCOMES or assessment.resolved_on is not None:
            return assessment
        weighing = self._weighing
        day = None
        if assessment.known_at is None and weighing is not None:
            day = self._first_days(state, weighing).of(verdict, assessment.as_of)
        if day is None:
            found = self._resolution_of(state, assessment, assessment.as_of, assessment.known_at)
            if found is None:  # pragma: no cover - the verdict is HELD or FAILED
                return assessment
            day = PartialDate.coerce(found[1])
        made = _resolved(assessment, day)
        if assessment.as_of is None and assessment.known_at is None:
            cached = state.assessed
            if cached is not None and cached[1] is assessment:
                state.assessed = (cached[0], made)
        return made

    def _history_with_resolved_on(self, past: list[Assessment]) -> list[Assessment]:
        """``history()``'s entries with ``resolved_on``, read off the entries themselves.

        The entries are the claim judged at every change point, in order (and then as
        it stands), so an entry's ``resolved_on`` is the date of the first entry with
        its verdict: O(entries), where asking each entry would cost a pass each.
        """
        first: dict[Verdict, PartialDate] = {}
        out = []
        for a in past:
            if a.as_of is not None:
                first.setdefault(a.verdict, a.as_of)
            day = first.get(a.verdict) if a.verdict in _OUTCOMES else None
            out.append(a if day is None else _resolved(a, day))
        return out

    # -- scoring ----------------------------------------------------------------------------

    @staticmethod
    def _claim_forecasts(state: ClaimState) -> list[_Triple]:
        """The forecasts on the claim that count, in standing order, as triples.

        Not retracted; the claim's own confidence as its speaker's forecast on
        ``stated_on``; ordered by the day made (its end), then by ``recorded_at``, then
        by the order appended (the claim first).
        """
        claim = state.claim
        keyed: list[tuple[_dt.date, _dt.datetime, int, str, float]] = []
        if claim.confidence is not None:
            day = claim.stated_on.end
            at = claim.recorded_at or _EARLIEST
            keyed.append((day, at, -1, claim.speaker_id, claim.confidence))
        withdrawn = state.withdrawn
        for i, f in enumerate(state.forecasts):
            if withdrawn and f.id in withdrawn:
                continue
            at = f.recorded_at or _EARLIEST
            keyed.append((f.made_on.end, at, i, f.speaker_id, f.probability))
        keyed.sort()  # (positions are unique: the names and numbers are never compared)
        return [(who, day, p) for day, _, _, who, p in keyed]

    def _claim_scores(
        self, state: ClaimState, as_of: PartialDate | None, today: PartialDate
    ) -> dict[str, ClaimForecastScore]:
        """Every forecaster's score on the claim judged as of *as_of* ({} if unresolved).

        The scores of a claim as it stands are kept in the tracker's bounded cache
        (``ClaimCache.scores``) until a record about the claim arrives or the day
        judged on moves on.
        """
        claim = state.claim
        if as_of is None:
            entry = self._cache.scores(claim.id, today.end)
            if entry is not None:
                return entry[3]
            final = self._assess(state, None, None, today)
        else:
            final = self._assess(state, as_of, None, None)
        scores: dict[str, ClaimForecastScore] = {}
        triples = self._claim_forecasts(state) if final.verdict in _OUTCOMES else []
        if triples:
            found = self._resolution_of(state, final, as_of, None)
            assert found is not None
            outcome, resolved_on = found
            scores = score_claim(triples, outcome, resolved_on, claim_id=claim.id)
        if as_of is None:
            self._cache.keep_scores(
                claim.id, (today.end, claim, claim.id in state.withdrawn, scores)
            )
        return scores

    @staticmethod
    def _claim_filter(
        topic: str | None, kind: ClaimKind | str | None, as_of: PartialDate | None
    ) -> Callable[[Claim], bool]:
        """Whether a claim matches *topic* and *kind* and was stated by *as_of*."""
        topic_key = None if topic is None else clean_text(topic, "topic", limit=200).lower()
        kind_key = None if kind is None else to_enum(ClaimKind, kind, "kind")

        def wanted(claim: Claim) -> bool:
            return (
                (topic_key is None or topic_key in claim.topics)
                and (kind_key is None or claim.kind is kind_key)
                and (as_of is None or claim.stated_on.end <= as_of.end)
            )

        return wanted

    def forecast_record(
        self,
        speaker: Speaker | str,
        *,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        as_of: DateInput | None = None,
        confidence: float = 0.95,
    ) -> ForecastRecord:
        """How a forecaster's probabilities did on the claims that resolved.

        Over the claims they forecast (with :meth:`forecast`, or as the speaker of a
        claim with a ``confidence``) that match *topic* and *kind*, are not
        retracted, and resolved ``HELD`` or ``FAILED`` (judged as of *as_of*, if
        given): final, time-averaged and relative Brier, Brier skill, log score,
        calibration and right-side rate, as defined in the concepts page of the docs
        (and :class:`~claimtrack.ForecastRecord`).  The verdict track record
        (:meth:`track_record`) is unchanged by forecasts.

        Args:
            speaker: the forecaster: a :class:`~claimtrack.Speaker` or their id.
            topic: only claims with this topic.
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            as_of: judge claims as of this date (any date input); only claims stated by
                then count.
            confidence: the level of the right-side rate's interval.

        Returns:
            The :class:`~claimtrack.ForecastRecord`.

        Raises:
            UnknownRecordError: *speaker* is not in the tracker.
            InvalidRecordError: a bad *kind*, *topic*, *as_of* or *confidence*.

        Example:
            >>> t = ct.Tracker()
            >>> for who in ("alice", "bob"):
            ...     _ = t.add_speaker(who.title(), id=who)
            >>> _ = t.add_claim("bob", "It will rain.", id="c", stated_on="2025-03-01")
            >>> _ = t.forecast("c", by="alice", probability=0.6, made_on="2025-03-01")
            >>> _ = t.forecast("c", by="alice", probability=0.9, made_on="2025-03-03")
            >>> _ = t.rule("c", "held", on="2025-03-05")
            >>> rec = t.forecast_record("alice")
            >>> rec.scored, round(rec.final_brier, 4), round(rec.time_averaged_brier, 4)
            (1, 0.01, 0.085)

        Cost: the speaker's forecasts and claims asked of the store (one indexed
        query each), then per claim covered, its state (from the tracker's bounded
        cache, or one query), its assessment, its resolution day (one pass over its
        evidence) and O(F log F) over its F forecasts; the scores are kept with the
        claim's cached state until a record about the claim arrives.
        """
        self._sync()
        level = _check_level(confidence)
        who: Speaker = self._resolve(speaker, Speaker, "speaker")
        as_of_date = self._as_of_arg(as_of)
        wanted = self._claim_filter(topic, kind, as_of_date)
        store = self._store
        # the claims covered, once each, in the order first met (bounded by the output:
        # one id per claim the speaker forecast)
        ids = dict.fromkeys(f.claim_id for f in store.forecasts(speaker_id=who.id))
        ids.update(
            dict.fromkeys(c.id for c in store.claims(speaker_id=who.id) if c.confidence is not None)
        )
        scores = []
        today = self._today()
        cache = self._cache
        for claim_id in ids:
            entry = cache.scores(claim_id, today.end) if as_of_date is None else None
            if entry is not None:  # scored for another forecaster: no need of its state
                _, claim, withdrawn, found = entry
                if not wanted(claim) or withdrawn:
                    continue
            else:
                state = self._state(claim_id)
                claim = state.claim
                if not wanted(claim) or claim.id in state.withdrawn:
                    continue
                found = self._claim_scores(state, as_of_date, today)
            mine = found.get(who.id)
            if mine is not None:
                scores.append(mine)
        return ForecastRecord.from_scores(scores, confidence=level)

    def _forecast_records(
        self,
        topic: str | None,
        kind: ClaimKind | str | None,
        as_of: PartialDate | None,
        confidence: float,
    ) -> dict[str, ForecastRecord]:
        """Every forecaster's :meth:`forecast_record`, each claim scored once for all.

        One walk of the store, claim by claim (:meth:`~claimtrack.stores.Store.each_claim`
        with the topic and kind filters): memory bounded by the scores returned and the
        records of one claim at a time.
        """
        wanted = self._claim_filter(topic, kind, as_of)
        filters: dict[str, Any] = {}
        if topic is not None:
            filters["topic"] = clean_text(topic, "topic", limit=200).lower()
        if kind is not None:
            filters["kind"] = to_enum(ClaimKind, kind, "kind")
        per: dict[str, list[ClaimForecastScore]] = {}
        today = self._today()
        for state in self._states(self._store.each_claim(**filters)):
            claim = state.claim
            if not state.forecasts and claim.confidence is None:
                continue
            if not wanted(claim) or claim.id in state.withdrawn:
                continue
            for who, score in self._claim_scores(state, as_of, today).items():
                per.setdefault(who, []).append(score)
        return {
            who: ForecastRecord.from_scores(scores, confidence=confidence)
            for who, scores in per.items()
        }

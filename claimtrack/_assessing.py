"""The tracker's assessing methods: one claim, its history, every claim, track records.

Whole-ledger work (:meth:`assess_all`, :meth:`track_record`, :meth:`leaderboard`)
walks the store claim by claim (:meth:`~claimtrack.stores.Store.each_claim`), so its
memory is bounded by what it returns, not by the number of evidence records.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

from ._assessment import Assessment, Contribution
from ._dates import DateInput, DateOrder, PartialDate, Precision, as_utc_datetime
from ._forecasts import FORECAST_RANKINGS, ForecastLeaderboardRow, ForecastRecord, rank_forecasters
from ._history import History, rulings_in_effect
from ._model import Claim, ClaimKind, Speaker, Verdict, clean_text
from ._reading import Reading
from ._records import RANKINGS, LeaderboardRow, TrackRecord, _check_level, rank_records
from ._scoring import ScoringPolicy
from ._tallies import ClaimState
from ._walk import assess_counted, assess_records
from .errors import CorruptStoreError, InvalidRecordError
from .stores import ClaimRecords

__all__ = ["Assessing"]

_NO_FLAGS = (0, 0, 0, 0)


def _known(record: Any, known_at: _dt.datetime | None) -> bool:
    if known_at is None:
        return True
    at = record.recorded_at
    return at is not None and at <= known_at


class Assessing(Reading):
    """The assessing half of :class:`~claimtrack.Tracker` (a mixin; see there)."""

    if TYPE_CHECKING:

        def _with_resolved_on(self, state: ClaimState, assessment: Assessment) -> Assessment: ...
        def _history_with_resolved_on(self, past: list[Assessment]) -> list[Assessment]: ...
        def _forecast_records(
            self,
            topic: str | None,
            kind: ClaimKind | str | None,
            as_of: PartialDate | None,
            confidence: float,
        ) -> dict[str, ForecastRecord]: ...

    @property
    def policy(self) -> ScoringPolicy:
        """The :class:`~claimtrack.ScoringPolicy` this tracker assesses claims with."""
        return self._policy

    def _now(self) -> _dt.datetime:
        now = self._clock()
        if not isinstance(now, _dt.datetime):
            raise InvalidRecordError("clock", now, "must return a datetime")
        return as_utc_datetime(now, field="clock")

    def _today(self) -> PartialDate:
        """Today's date from the tracker's clock, in UTC: the due-date check of "now"."""
        return PartialDate.coerce(self._now().date())  # (a shared one per day: no checks again)

    @property
    def date_order(self) -> DateOrder | None:
        """How this tracker reads all-numeric dates (``"DMY"``, ``"MDY"`` or ``None``).

        Importers and the command line read date strings with it too.

        Example:
            >>> import claimtrack as ct
            >>> ct.Tracker(date_order="dmy").date_order
            'DMY'

        .. versionadded:: 0.2.0
        """
        return self._date_order

    def _date(self, value: Any, field: str) -> Any:
        """A date argument, a string read with the tracker's date order (others as given)."""
        if isinstance(value, str):
            return PartialDate.parse(value, field=field, date_order=self._date_order)
        return value

    def _as_of_arg(self, as_of: DateInput | None) -> PartialDate | None:
        if as_of is None:
            return None
        return PartialDate.coerce(as_of, field="as_of", date_order=self._date_order)

    def _known_at_arg(self, known_at: _dt.datetime | DateInput | None) -> _dt.datetime | None:
        if known_at is None:
            return None
        return as_utc_datetime(known_at, field="known_at", date_order=self._date_order)

    def _assess(
        self,
        state: ClaimState,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        today: PartialDate | None,
    ) -> Assessment:
        """Assess a stored claim; *today* is used only when *as_of* is ``None``.

        The claim as it stands (no *as_of*, no *known_at*) is kept in its state.
        """
        judged_on = as_of if as_of is not None else today if today is not None else self._today()
        if as_of is None and known_at is None:
            cached = state.assessed
            if cached is not None and cached[0] == judged_on.end:
                return cached[1]
            found = self._assess_now(state, None, None, judged_on)
            state.assessed = (judged_on.end, found)
            return found
        return self._assess_now(state, as_of, known_at, judged_on)

    def _rulings(
        self, state: ClaimState, as_of: PartialDate | None, known_at: _dt.datetime | None
    ) -> list[Any]:
        rulings = state.rulings
        if not rulings:
            return []
        withdrawn = state.withdrawn_at(known_at)
        return [
            r
            for r in rulings
            if (as_of is None or r.on.end <= as_of.end)
            and _known(r, known_at)
            and r.id not in withdrawn
        ]

    def _assess_now(
        self,
        state: ClaimState,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        judged_on: PartialDate,
    ) -> Assessment:
        """Assess a stored claim, judging due dates on *judged_on*; no cache."""
        claim = state.claim
        rulings = self._rulings(state, as_of, known_at)
        weighing = self._weighing
        if weighing is not None and known_at is None:
            contributions: tuple[Contribution, ...] = ()
            total, counts = 0.0, _NO_FLAGS
            if state.evidence:
                contributions, total, counts = state.tally_for(weighing, self._weights).view(as_of)
            return weighing._decide(
                claim,
                contributions,
                total,
                counts,
                rulings,
                as_of=as_of,
                known_at=None,
                judged_on=judged_on,
            )
        withdrawn = state.withdrawn_at(known_at)
        evidence = [
            e
            for e in state.evidence
            if (as_of is None or e.observed_on.end <= as_of.end)
            and _known(e, known_at)
            and e.id not in withdrawn
        ]
        return self._policy.assess(
            claim, evidence, rulings, as_of=as_of, known_at=known_at, judged_on=judged_on
        )

    def assess(
        self,
        claim: Claim | str,
        *,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
    ) -> Assessment:
        """Whether a claim held up, how sure that is, and why.

        Two clocks select what counts:

        - *as_of* (world time, any date input): evidence counts if it was observed by
          then (``observed_on.end <= as_of.end``: evidence "observed in March 2025"
          counts from 31 March), rulings if they are dated by then (``on.end <=
          as_of.end``).  ``None`` counts all of them.  An *as_of* before the claim was
          made is allowed and gives the prior, ``PENDING``.
        - *known_at* (knowledge time: a datetime, or a date meaning the end of that
          day): only records recorded by then count, and only the retractions
          recorded by then apply (a retraction of a retraction restores its target).
          ``None`` counts everything recorded.

        Whether the due date has passed is checked against *as_of*
        (``as_of.end > due.end``); without *as_of*, against today's date from the
        tracker's clock, which the tracker passes to the policy (the policy never
        reads a clock).  A claim with no due date is never ``UNRESOLVED``.

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            as_of: the world date to judge at.
            known_at: the knowledge time to judge with.

        Returns:
            The :class:`~claimtrack.Assessment`.

        Raises:
            UnknownRecordError: the claim is not in the tracker.
            InvalidRecordError: *as_of* or *known_at* is not a date (naming it).

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18", due="2025-12-31")
            >>> _ = t.add_evidence("c", "Ukraine was not invited to Riyadh.",
            ...                    stance="refutes", observed_on="2025-02-18")
            >>> _ = t.add_evidence("c", "Delegations met in Jeddah.", stance="supports",
            ...                    strength="strong", observed_on="2025-03-11")
            >>> round(t.assess("c").probability, 6)
            0.8
            >>> round(t.assess("c", as_of="2025-02-20").probability, 6)
            0.2

        Cost: the claim's records are asked of the store once (one indexed query for
        SQLite) and kept, with a running tally of its evidence, in the tracker's
        bounded cache (records added through this tracker update them; records another
        writer added make them be asked again); a new piece of evidence is added to
        the tally in O(log n).  With the default policy and no *known_at*: O(log n +
        r log n) in the claim's n pieces of evidence and r retracted ones, plus a copy
        of the counted contributions; for a held or failed claim, ``resolved_on`` comes
        from the first days it held and failed, kept with the tally: found in one O(n)
        pass, then brought up to date in O(1) by evidence dated no earlier than the
        last day counted (evidence dated earlier, a ruling or a retraction takes the
        pass again).  With *known_at*, or another policy: O(n log n) over the claim's
        records, and ``resolved_on`` by assessing its change points in turn.
        """
        self._sync()
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        state = self._state(claim)
        return self._with_resolved_on(state, self._assess(state, as_of_date, known, None))

    def history(
        self, claim: Claim | str, *, known_at: _dt.datetime | DateInput | None = None
    ) -> History:
        """The assessment of a claim at each point where it could have changed.

        The change points, in world-time order, are the date the claim was made, the
        date (end) of each piece of evidence and of each ruling that counts, and the
        day after the due date, if that day is not after today (by the tracker's
        clock).  There is one entry ``assess(claim, as_of=point, known_at=known_at)``
        per change point, so each turn of the verdict has its date, and then a last
        entry that is ``assess(claim, known_at=known_at)`` itself: the claim as it
        stands on everything, judged today (so ``history(c)[-1] == assess(c)``).

        The result is a :class:`~claimtrack.History`: a read-only sequence that stands
        for the tuple of these assessments (equal to it, indexed, sliced into tuples,
        pickled as it).  With the default policy and no *known_at* it keeps only each
        change point's tally (numbers in arrays) and makes an entry's assessment when
        it is read; the entries share their contributions (each entry's
        ``contributions`` is a read-only prefix of one tuple, equal to the tuple it
        stands for).  So a history costs O(n + k) memory for n pieces of evidence and k
        change points, and leaves no object per change point behind for Python's
        cyclic garbage collector to walk.

        Args:
            claim: the :class:`~claimtrack.Claim` or its id.
            known_at: the knowledge time to judge with, as in :meth:`assess`.

        Returns:
            A :class:`~claimtrack.History` of :class:`~claimtrack.Assessment`, oldest
            first; never empty.

        Raises:
            UnknownRecordError: the claim is not in the tracker.
            InvalidRecordError: *known_at* is not a date or time.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18")
            >>> _ = t.add_evidence("c", "Jeddah talks.", stance="supports",
            ...                    strength="conclusive", observed_on="2025-03-11")
            >>> [(str(a.as_of), a.verdict.value) for a in t.history("c")]
            [('2025-02-18', 'pending'), ('2025-03-11', 'held'), ('None', 'held')]

        Cost: with the default policy and no *known_at*, O(n log n + k + r²) for n
        pieces of evidence, k change points and r rulings, and O(1) more each time an
        entry is read (plus what that entry's assessment is made of); otherwise one
        :meth:`assess` per change point, all made at once.

        .. versionchanged:: 0.2.0
           Returns a :class:`~claimtrack.History` (a sequence equal to the tuple it
           stands for), not a tuple.
        """
        self._sync()
        state = self._state(claim)
        target = state.claim
        known = self._known_at_arg(known_at)
        today = self._today()
        withdrawn = state.withdrawn_at(known)
        # each change point's date, by its day: the record's own date where it is
        # known to the day (one object fewer per entry for the collector to walk)
        days: dict[_dt.date, PartialDate | None] = {}
        day = Precision.DAY
        for on in itertools.chain(
            (target.stated_on,),
            (e.observed_on for e in state.evidence if _known(e, known) and e.id not in withdrawn),
            (r.on for r in state.rulings if _known(r, known) and r.id not in withdrawn),
        ):
            if on.precision is day:
                days[on.end] = on
            else:
                days.setdefault(on.end, None)
        if target.due is not None and target.due.end < _dt.date.max:
            after_due = target.due.end + _dt.timedelta(days=1)
            if after_due <= today.end:
                days.setdefault(after_due, None)
        # (sorted by day alone: no (day, date) pair per point for the collector to track)
        points = [days[end] or PartialDate(end) for end in sorted(days)]
        weighing = self._weighing
        if weighing is not None and known is None and state.evidence:
            tally = state.tally_for(weighing, self._weights)
            return History._tallied(
                target,
                weighing,
                points,
                tally.views(points),
                rulings_in_effect([r for r in state.rulings if r.id not in withdrawn], points),
                self._assess(state, None, None, today),
            )
        past = [self._assess(state, point, known, None) for point in points]
        past.append(self._assess(state, None, known, today))
        return History._of(tuple(self._history_with_resolved_on(past)))

    def _states(self, found: Iterable[ClaimRecords]) -> Iterator[ClaimState]:
        """The state of each claim: the cached one, or one made for the walk only."""
        cache, path = self._cache, self._path
        for records in found:
            state = cache.peek(records.claim.id)
            yield state if state is not None else ClaimState(records, path)

    def assess_all(
        self,
        *,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
    ) -> tuple[Assessment, ...]:
        """Assess every claim that is not retracted, in the order the claims were added.

        *as_of* and *known_at* work as in :meth:`assess`; with *known_at*, only claims
        recorded by then and not retracted then are assessed.  Today's date, for due
        dates, is read from the clock once for the whole call.

        Returns:
            One :class:`~claimtrack.Assessment` per claim.

        Raises:
            InvalidRecordError: *as_of* or *known_at* is not a date (naming it).

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", stated_on="2025-02-18")
            >>> [a.verdict.value for a in t.assess_all()]
            ['pending']

        With the default policy and no *known_at*, each claim not in the tracker's
        cache is weighed straight from its records, and the ``contributions`` of its
        assessment are a read-only sequence equal to the tuple :meth:`assess` gives,
        made on first use from the claim's records in the store (the records it had
        when assessed: whatever was added since does not change it).  So the
        assessments hold no evidence until their contributions are read.

        Over a SQLite (schema 4) or PostgreSQL ledger, with the default policy and no
        *as_of* or *known_at*, each claim is weighed from the counts of its evidence by
        stance, strength and reliability that the store keeps, where they are current
        (else from its records): the same answer, bit for bit.  Read the contributions
        before closing the tracker (after, a :class:`~claimtrack.errors.StoreError`).

        Cost: one walk of the store, claim by claim, O(n) in each claim's n pieces of
        evidence (O(k) in its k weight keys, from counts); memory bounded by the
        assessments returned (it grows with the claims, not the evidence records).
        """
        self._sync()
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        today = self._today()
        found: list[Assessment] = []
        weighing = self._weighing
        if weighing is not None and known is None:
            if as_of_date is None:
                # a store that keeps weighing counts: each claim weighed from its counts
                reader = getattr(self._store, "_weighing_counts", None)
                ledger = None if reader is None else reader()
                if ledger is not None:
                    return tuple(assess_counted(self, ledger, weighing, today))
            # each claim weighed straight from its records; contributions made on use
            judged_on = as_of_date if as_of_date is not None else today
            peek, keep = self._cache.peek, found.append
            for records in self._store.each_claim():
                state = peek(records.claim.id)
                if state is None:
                    assessed = assess_records(self, records, weighing, as_of_date, judged_on)
                    if assessed is not None:
                        keep(assessed)
                elif records.claim.id not in state.withdrawn:
                    keep(self._assess(state, as_of_date, None, today))
            return tuple(found)
        for state in self._states(self._store.each_claim()):
            claim = state.claim
            if not _known(claim, known) or claim.id in state.withdrawn_at(known):
                continue
            found.append(self._assess(state, as_of_date, known, today))
        return tuple(found)

    # -- track records ----------------------------------------------------------------

    def _role_key(self, role: str | None, who: Speaker | None) -> str | None:
        """Check *role* against the roles on record; return it case-folded."""
        if role is None:
            return None
        title = clean_text(role, "role", limit=2_000).casefold()
        people = (who,) if who is not None else tuple(self._store.speakers())
        titles = sorted({r.title for p in people for r in p.roles})
        if not any(t.casefold() == title for t in titles):
            whom = f"speaker {who.id!r}; their roles" if who else "anyone; roles on record"
            shown = ", ".join(repr(t) for t in titles[:10]) or "none"
            more = ", …" if len(titles) > 10 else ""
            raise InvalidRecordError("role", role, f"was never held by {whom}: {shown}{more}")
        return title

    def _speaker_names(self) -> dict[str, Speaker]:
        return {s.id: s for s in self._store.speakers()}

    def _verdicts(
        self,
        speaker: Speaker | str | None,
        topic: str | None,
        kind: ClaimKind | str | None,
        role: str | None,
        as_of: PartialDate | None,
        known: _dt.datetime | None,
    ) -> list[tuple[Claim, Verdict]]:
        """The claims a track record covers, each with its verdict (see :meth:`track_record`)."""
        who = None if speaker is None else self._resolve(speaker, Speaker, "speaker")
        title = self._role_key(role, who)
        filters = self._filters(who, topic, kind, None, None)
        people = self._speaker_names() if title is not None else {}
        today = self._today()
        pairs = []
        for state in self._states(self._store.each_claim(**filters)):
            claim = state.claim
            if not _known(claim, known) or claim.id in state.withdrawn_at(known):
                continue
            if as_of is not None and claim.stated_on.end > as_of.end:
                continue
            if title is not None:
                person = people.get(claim.speaker_id)
                if person is None:
                    raise self._missing_speaker(claim)
                if not any(
                    r.title.casefold() == title and r.covers(claim.stated_on) for r in person.roles
                ):
                    continue
            pairs.append((claim, self._assess(state, as_of, known, today).verdict))
        return pairs

    def _missing_speaker(self, claim: Claim) -> CorruptStoreError:
        return CorruptStoreError(
            f"claim {claim.id!r} refers to speaker {claim.speaker_id!r}, which is not stored",
            path=self._path,
        )

    def track_record(
        self,
        speaker: Speaker | str | None = None,
        *,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        role: str | None = None,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
        confidence: float = 0.95,
        include_wording: bool = True,
    ) -> TrackRecord:
        """How a speaker's claims (or any selection of claims) held up.

        The selection is every claim that matches all the filters given: by *speaker*,
        *topic* and *kind* as in :meth:`claims`; with *role*, only claims made while the
        speaker held a role of that title (``Role.covers(claim.stated_on)``; titles
        compare case-insensitively); with *as_of*, only claims made by then
        (``stated_on.end <= as_of.end``), each judged as of that date; with *known_at*,
        only claims recorded by then and not retracted then, each judged with what was
        known then.  Retracted claims never count.  Each claim's verdict is
        :meth:`assess`'s, and :meth:`TrackRecord.from_verdicts
        <claimtrack.TrackRecord.from_verdicts>` does the arithmetic.

        Args:
            speaker: the :class:`~claimtrack.Speaker` or their id; ``None`` for everyone.
            topic: only claims with this topic.
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            role: only claims made while the speaker held the role of this title.
            as_of: the world date to judge at (any date input).
            known_at: the knowledge time to judge with.
            confidence: the level of the interval, strictly between 0 and 1.
            include_wording: also score confidences read off hedging words
                (``confidence_basis="wording"``).

        Returns:
            The :class:`~claimtrack.TrackRecord`.

        Raises:
            UnknownRecordError: *speaker* is not in the tracker.
            InvalidRecordError: *confidence* is outside (0, 1); *kind*, *as_of* or
                *known_at* is not valid; *role* was never held by the speaker (or, with
                no speaker, by anyone); each naming the argument.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> _ = t.add_speaker("Donald Trump", id="trump",
            ...     roles=[ct.Role("President of the United States", start="2025-01-20")])
            >>> for i, verdict in enumerate(["held", "held", "failed", "partly held"]):
            ...     _ = t.add_claim("trump", f"Claim {i}.", id=f"c{i}", stated_on="2025-02-18")
            ...     _ = t.rule(f"c{i}", verdict, on="2025-03-01")
            >>> _ = t.add_claim("trump", "Claim 4.", stated_on="2024-06-01")
            >>> rec = t.track_record("trump", role="President of the United States")
            >>> rec.hit_rate, rec.resolved
            (0.625, 4)
            >>> print(rec.summary())
            Of 4 resolved claims, 2 held, 1 partly held and 1 failed: a hit rate of 63 %
            (95 % interval 22–91 %).

        Cost: one walk of the selected claims in the store
        (:meth:`~claimtrack.stores.Store.each_claim` with the filters), assessing each.
        """
        self._sync()
        level = _check_level(confidence)
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        pairs = self._verdicts(speaker, topic, kind, role, as_of_date, known)
        return TrackRecord.from_verdicts(pairs, confidence=level, include_wording=include_wording)

    @overload
    def leaderboard(
        self,
        *,
        by: Literal["hit_rate", "brier"] = ...,
        min_resolved: int = ...,
        topic: str | None = ...,
        kind: ClaimKind | str | None = ...,
        as_of: DateInput | None = ...,
        known_at: _dt.datetime | DateInput | None = ...,
        confidence: float = ...,
    ) -> tuple[LeaderboardRow, ...]: ...

    @overload
    def leaderboard(
        self,
        *,
        by: Literal[
            "final_brier",
            "time_averaged_brier",
            "relative_brier",
            "brier_skill",
            "log_score",
            "right_side_rate",
        ],
        min_resolved: int = ...,
        topic: str | None = ...,
        kind: ClaimKind | str | None = ...,
        as_of: DateInput | None = ...,
        known_at: _dt.datetime | DateInput | None = ...,
        confidence: float = ...,
    ) -> tuple[ForecastLeaderboardRow, ...]: ...

    @overload
    def leaderboard(
        self,
        *,
        by: str,
        min_resolved: int = ...,
        topic: str | None = ...,
        kind: ClaimKind | str | None = ...,
        as_of: DateInput | None = ...,
        known_at: _dt.datetime | DateInput | None = ...,
        confidence: float = ...,
    ) -> tuple[LeaderboardRow, ...] | tuple[ForecastLeaderboardRow, ...]: ...

    def leaderboard(
        self,
        *,
        by: str = "hit_rate",
        min_resolved: int = 5,
        topic: str | None = None,
        kind: ClaimKind | str | None = None,
        as_of: DateInput | None = None,
        known_at: _dt.datetime | DateInput | None = None,
        confidence: float = 0.95,
    ) -> tuple[LeaderboardRow, ...] | tuple[ForecastLeaderboardRow, ...]:
        """Speakers ranked by their track records, so that luck does not top the board.

        ``by="hit_rate"`` orders speakers by the *lower* end of their hit rate's Wilson
        interval, highest first (one claim that held gives 21 %, not 100 %), then by
        the number of resolved claims, then by name.  ``by="brier"`` orders them by
        their Brier score over claims with a stated confidence, lowest first, then by
        the number of such claims, then by name.  Each speaker's record is
        :meth:`track_record` with the same filters.

        Forecasters are ranked by their :meth:`forecast_record` with ``by=`` one of
        ``"final_brier"``, ``"time_averaged_brier"``, ``"relative_brier"`` (lowest
        first), ``"brier_skill"``, ``"log_score"`` (highest first) or
        ``"right_side_rate"`` (by the lower end of its Wilson interval, highest first);
        then by the number of claims scored, then by name.  These give
        :class:`~claimtrack.ForecastLeaderboardRow` s; *min_resolved* is then the
        minimum number of claims scored, and *known_at* is not supported (``None``).

        Args:
            by: ``"hit_rate"`` or ``"brier"``, or a forecast score (above).
            min_resolved: leave out speakers with fewer resolved claims (with
                ``by="brier"``: fewer claims scored); a speaker with none is always
                left out.
            topic: only claims with this topic.
            kind: only claims of this :class:`~claimtrack.ClaimKind`.
            as_of: the world date to judge at.
            known_at: the knowledge time to judge with.
            confidence: the level of the intervals, strictly between 0 and 1.

        Returns:
            :class:`~claimtrack.LeaderboardRow` s, best first.

        Raises:
            InvalidRecordError: *by* is not one of the allowed keys, *min_resolved* is
                not a whole number of at least 0, or *confidence* is outside (0, 1);
                naming the argument and the allowed values.
            CorruptStoreError: a claim's speaker is not stored (a hand-edited file),
                naming the claim.

        Example:
            >>> import claimtrack as ct
            >>> t = ct.Tracker()
            >>> for who, verdicts in [("lucky", ["held"]), ("steady", ["held"] * 9 + ["failed"])]:
            ...     _ = t.add_speaker(who.title(), id=who)
            ...     for i, verdict in enumerate(verdicts):
            ...         _ = t.add_claim(who, f"Claim {i}.", id=f"{who}{i}", stated_on="2025-02-18")
            ...         _ = t.rule(f"{who}{i}", verdict, on="2025-03-01")
            >>> for row in t.leaderboard(min_resolved=1):
            ...     print(row)
            1. Steady: hit rate 90 % over 10 resolved claims (95 % interval 60–98 %)
            2. Lucky: hit rate 100 % over 1 resolved claim (95 % interval 21–100 %)

        Cost: one walk of the selected claims in the store, plus a sort of the speakers.
        """
        self._sync()
        if not isinstance(by, str) or by not in (*RANKINGS, *FORECAST_RANKINGS):
            allowed = ", ".join(repr(k) for k in (*RANKINGS, *FORECAST_RANKINGS))
            raise InvalidRecordError("by", by, f"is not a ranking; allowed: {allowed}")
        if isinstance(min_resolved, bool) or not isinstance(min_resolved, int) or min_resolved < 0:
            raise InvalidRecordError(
                "min_resolved", min_resolved, "must be a whole number of at least 0"
            )
        level = _check_level(confidence)
        as_of_date = self._as_of_arg(as_of)
        known = self._known_at_arg(known_at)
        people = self._speaker_names()
        if by in FORECAST_RANKINGS:
            if known is not None:
                raise InvalidRecordError("known_at", known_at, f"is not supported with by={by!r}")
            records = self._forecast_records(topic, kind, as_of_date, level)
            return rank_forecasters(
                ((who, people[who].name, rec) for who, rec in records.items()),
                by=by,
                min_scored=min_resolved,
            )
        by_speaker: dict[str, list[tuple[Claim, Verdict]]] = {}
        for claim, verdict in self._verdicts(None, topic, kind, None, as_of_date, known):
            if claim.speaker_id not in people:
                raise self._missing_speaker(claim)
            by_speaker.setdefault(claim.speaker_id, []).append((claim, verdict))
        return rank_records(
            (
                (
                    speaker_id,
                    people[speaker_id].name,
                    TrackRecord.from_verdicts(pairs, confidence=level),
                )
                for speaker_id, pairs in by_speaker.items()
            ),
            by=by,
            min_resolved=min_resolved,
        )

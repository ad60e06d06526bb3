"""Reading ClaimReview: JSON-LD, DataFeeds, JSON Lines, HTML pages, the Fact Check API.

See :mod:`claimtrack.interop.claimreview` for what a review becomes.  The reading is
done in two steps: the document is read and checked against the limits, its review
items found (nothing is built before every limit has passed); then each item is read
on its own, all or nothing, its records staged and kept only when the whole item was
read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from claimtrack._dates import PartialDate
from claimtrack._ids import slug as _slug
from claimtrack._model import (
    MAX_TEXT,
    Claim,
    ClaimKind,
    Evidence,
    Record,
    Role,
    Ruling,
    Source,
    Speaker,
    Stance,
    Verdict,
)
from claimtrack._tracker import Tracker
from claimtrack.errors import ImportFormatError, InvalidRecordError

from ._claimreview_shapes import (
    GOOGLE,
    JSONLD,
    ORG_TYPES,
    OWN_STATUSES,
    STATUS_PREFIX,
    Fields,
    Item,
    ItemFailedError,
    RepeatedError,
    context_problem,
    name_key,
    properties,
    short,
    types_of,
    valid_id,
    what,
)
from ._common import (
    MAX_PROBLEMS,
    ImportLimits,
    Note,
    Problems,
    Skipped,
    UnknownRating,
    check_count,
    child,
)
from ._factcheck_api import api_claim, api_review
from ._ratings import PROMISE_KEYS, lookup, numeric_verdict, ratings_table


class _Unreadable(dict[str, Any]):
    """An item that cannot be read at all, in its place among the items (skip mode)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class Reader(Fields):
    """Turns a parsed document into records, item by item."""

    def __init__(
        self,
        tracker: Tracker | None,
        ratings: Mapping[str, Verdict | str | None] | None,
        limits: ImportLimits,
        on_error: Literal["raise", "skip"],
        unattributed: str | None,
    ) -> None:
        if on_error not in ("raise", "skip"):
            raise InvalidRecordError("on_error", on_error, "must be 'raise' or 'skip'")
        if unattributed is not None and (
            not isinstance(unattributed, str) or not unattributed.strip()
        ):
            raise InvalidRecordError("unattributed", unattributed, "must be a speaker id or name")
        self.tracker = tracker
        self.table = ratings_table(ratings)
        self.limits = limits
        self.skip = on_error == "skip"
        self.unattributed = unattributed
        self.problems = Problems()
        self.skipped: list[Skipped] = []
        self.notes: list[Note] = []
        self.unlisted = 0
        self.unknown: list[UnknownRating] = []
        self.taken: set[str] = set()
        self.new_speakers: dict[str, dict[str, Any]] = {}
        self.body: list[Record] = []
        self.speaker_keys: dict[str, str] = {}
        self.speaker_by_name: dict[str, str] = {}
        self.speaker_by_url: dict[str, str] = {}
        self.claim_keys: dict[str, tuple[str, str, PartialDate]] = {}
        self.seen_claims: dict[tuple[str, str, PartialDate], str] = {}
        # claim id -> (verdict, date, by) of its rulings, and its status texts
        self.rulings_of: dict[str, set[tuple[Any, ...]]] = {}
        self.reader = JSONLD
        self.page_date: PartialDate | None = None
        self.item: Item = Item("$")
        self._keys: dict[str, str | None] = {}  # rating words -> table key, this import only
        self._found: list[tuple[dict[str, Any], str]] = []
        if tracker is not None:
            for speaker in tracker.speakers():
                self.index_speaker(speaker.id, name_key(speaker.name), speaker.same_as)
            for claim in tracker.claims(include_retracted=True):
                key = (claim.speaker_id, name_key(claim.text), claim.stated_on)
                self.claim_keys[claim.id] = key
                self.seen_claims.setdefault(key, claim.id)

    # -- bookkeeping ---------------------------------------------------------------------

    def key_of(self, words: str) -> str | None:
        """The rating table's key for *words* (looked up once per import)."""
        try:
            return self._keys[words]
        except KeyError:
            key = self._keys[words] = lookup(words, self.table)
            return key

    def note(self, where: str, message: str) -> None:
        if len(self.notes) < MAX_PROBLEMS:
            self.notes.append(Note(where, message))
        else:
            self.unlisted += 1

    def skip_item(self, where: str, reason: str) -> None:
        if len(self.skipped) < MAX_PROBLEMS:
            self.skipped.append(Skipped(where, reason))
        else:
            self.unlisted += 1

    def bad_item(self, where: str, reason: str, *, item: str | None = None) -> None:
        """An item that cannot be read at all: skipped, or a problem of the document."""
        if self.skip:
            # kept in its place among the items, so that skips are listed in order
            self._found.append((_Unreadable(f"{where}: {reason}"), item or where))
        else:
            self.problem(where, reason)

    def problem(self, where: str, reason: str) -> None:
        """A problem of the document outside any item: it cannot be imported."""
        self.problems.add(ImportFormatError(where, reason))

    # -- finding the items ---------------------------------------------------------------

    def items(self, doc: Any, path: str, top: bool) -> list[tuple[dict[str, Any], str]]:
        """The ClaimReview nodes of *doc*, each with its path."""
        found: list[tuple[dict[str, Any], str]] = []
        self._found = found
        self._find(doc, path, top, found)
        if top and not found and not self.problems and not self._container(doc):
            self.problem(path, "is not a ClaimReview, a @graph, a DataFeed or an array of them")
        return found

    def _container(self, doc: Any) -> bool:
        if isinstance(doc, list):
            return True
        return isinstance(doc, dict) and ("@graph" in doc or "DataFeed" in types_of(doc))

    def _find(
        self, doc: Any, path: str, top: bool, found: list[tuple[dict[str, Any], str]]
    ) -> None:
        if isinstance(doc, list):
            for i, node in enumerate(doc):
                if node is None and top:  # a blank line of JSON Lines
                    continue
                self._find(node, child(path, i), False, found)
            return
        if doc is None and not top:
            return  # a blank line of JSON Lines, or an item set aside already
        if not isinstance(doc, dict):
            self.bad_item(path, f"is {what(doc)}, not an object")
            return
        types = types_of(doc)
        context = context_problem(doc)
        if context is not None:
            if "ClaimReview" in types and not top:
                self.bad_item(child(path, "@context"), context, item=path)
            else:
                self.problem(child(path, "@context"), context)
            return
        if "ClaimReview" in types:
            found.append((doc, path))
            return
        if "@graph" in doc:
            graph = doc["@graph"]
            self._find(
                graph if isinstance(graph, list) else [graph], child(path, "@graph"), False, found
            )
        elif "DataFeed" in types:
            elements = doc.get("dataFeedElement", [])
            where = child(path, "dataFeedElement")
            for i, element in enumerate(elements if isinstance(elements, list) else [elements]):
                self._find(element, child(where, i), False, found)
        elif "DataFeedItem" in types:
            inner = doc.get("item")
            if inner is None:
                self.note(path, "a DataFeedItem without an item; ignored")
            else:
                self._find(inner, child(path, "item"), False, found)
        else:
            # a review may sit inside another node (a WebPage's mainEntity, an article)
            before = len(found)
            for key, value in doc.items():
                if isinstance(value, dict | list) and key != "@context":
                    self._nested(value, child(path, key), found)
            if len(found) == before:
                shown = ", ".join(sorted(types)) or "no @type"
                self.note(path, f"not a ClaimReview ({shown}); ignored")

    def _nested(self, value: Any, path: str, found: list[tuple[dict[str, Any], str]]) -> None:
        if isinstance(value, list):
            for i, node in enumerate(value):
                if isinstance(node, dict | list):
                    self._nested(node, child(path, i), found)
        elif "ClaimReview" in types_of(value):
            found.append((value, path))
        else:
            for key, inner in value.items():
                if isinstance(inner, dict | list) and key != "@context":
                    self._nested(inner, child(path, key), found)

    # -- ids -----------------------------------------------------------------------------

    def is_taken(self, record_id: str) -> bool:
        return record_id in self.taken or (self.tracker is not None and record_id in self.tracker)

    def new_id(self, wanted: str | None, base: str, fallback: str) -> str:
        if wanted is not None and valid_id(wanted) and not self.is_taken(wanted):
            chosen = wanted
        else:
            base = base or fallback
            chosen, n = base, 1
            while self.is_taken(chosen):
                n += 1
                chosen = f"{base}-{n}"
        self.taken.add(chosen)
        self.item.ids.append(chosen)
        return chosen

    # -- speakers ------------------------------------------------------------------------

    def index_speaker(self, sid: str, key: str, same_as: tuple[str, ...]) -> None:
        self.speaker_keys[sid] = key
        self.speaker_by_name.setdefault(key, sid)
        for url in same_as:
            self.speaker_by_url.setdefault(url, sid)

    def match(self, key: str, ident: str | None, same_as: tuple[str, ...]) -> str | None:
        """An earlier speaker for this author, by identifier, sameAs or name."""
        if ident is not None and self.speaker_keys.get(ident) == key:
            return ident
        for url in same_as:
            if url in self.speaker_by_url:
                return self.speaker_by_url[url]
        if ident is None:
            return self.speaker_by_name.get(key)
        return None

    def speaker(
        self, author: dict[str, Any] | str | None, path: str, publisher: str | None
    ) -> tuple[str, dict[str, Any] | None, str | None]:
        """The speaker for *author*: (id, the new speaker's fields or None, job title)."""
        node: dict[str, Any] = {"name": author} if isinstance(author, str) else author or {}
        name = self.name_of(author, path)
        if name is None:
            return self.unattributed_speaker(path, publisher)
        same_as = self.urls(node, path)
        ident = node.get("identifier") if isinstance(node.get("identifier"), str) else None
        title = self.text(node, "jobTitle", path, required=False)
        if title is not None:
            try:
                Role(title)
            except InvalidRecordError:
                self.item.note(child(path, "jobTitle"), f"{short(title)} is not a role; ignored")
                title = None
        types = types_of(node)
        org = any(t.endswith("Organization") or t in ORG_TYPES for t in types)
        key = name_key(name)
        existing = self.match(key, ident, same_as)
        if existing is not None:
            return existing, None, title
        speaker_id = self.new_id(ident, _slug(name), "speaker")
        fields = {"name": name, "key": key, "org": org, "same_as": same_as, "path": path}
        made = self.build(
            lambda: Speaker(speaker_id, name, organization=org, same_as=same_as),
            {"name": child(path, "name"), "same_as": child(path, "sameAs")},
            path,
        )
        return speaker_id, (fields if made is not None else None), title

    def unattributed_speaker(
        self, path: str, publisher: str | None
    ) -> tuple[str, dict[str, Any] | None, None]:
        wanted = self.unattributed
        if wanted is not None and wanted in self.speaker_keys:
            self.item.note(path, f"no author; the claim is given to speaker {wanted!r}")
            return wanted, None, None
        name = wanted or (f"Unattributed ({publisher})" if publisher else "Unattributed")
        self.item.note(path, f"no author; the claim is given to {name!r}")
        key = name_key(name)
        existing = self.speaker_by_name.get(key)
        if existing is not None:
            return existing, None, None
        speaker_id = self.new_id(None, _slug(name), "unattributed")
        fields = {"name": name, "key": key, "org": False, "same_as": (), "path": path}
        if self.build(lambda: Speaker(speaker_id, name), {}, path) is None:
            return speaker_id, None, None  # the item fails: its error is on it
        return speaker_id, fields, None

    def commit_speaker(
        self, sid: str, fields: dict[str, Any] | None, title: str | None, stated: PartialDate
    ) -> None:
        if fields is not None:
            fields["spans"] = {}
            self.index_speaker(sid, fields["key"], fields["same_as"])
            self.new_speakers[sid] = fields
        pending = self.new_speakers.get(sid)
        if pending is not None and title:
            pending["spans"].setdefault(title, []).append(stated)

    def speaker_records(self) -> list[Record]:
        made: list[Record] = []
        for sid, f in self.new_speakers.items():
            roles = [
                Role(title, start=min(d.start for d in ds), end=max(d.end for d in ds))
                for title, ds in f["spans"].items()
            ]
            made.append(Speaker(sid, f["name"], roles, organization=f["org"], same_as=f["same_as"]))
        return made

    # -- one item ------------------------------------------------------------------------

    def run_item(self, path: str, read: Any) -> None:
        """Read one item all or nothing: on success keep it, else skip it or fail."""
        self.item = item = Item(path)
        staged: list[Record] = []
        try:
            read(staged)
        except ItemFailedError:
            pass
        except RepeatedError as repeated:
            self.taken.difference_update(item.ids)
            self.skip_item(path, f"the claim is already imported as {repeated.claim_id!r}")
            return
        if item.errors:
            self.taken.difference_update(item.ids)
            if self.skip:
                reason = "; ".join(str(e) for e in item.errors)
                self.skip_item(path, reason)
            else:
                for error in item.errors:
                    self.problems.add(error)
            return
        for note in item.notes:
            self.note(note.path, note.message)
        self.body.extend(staged)

    def review(self, node: dict[str, Any], path: str, staged: list[Record]) -> None:
        """One ClaimReview node."""
        item_node, item_path = self.obj(node, "itemReviewed", path)
        if isinstance(item_node, str):
            self.item.note(item_path, "is text, not a Claim object; ignored")
            item_node = None
        if item_node is None:
            item_node = {}
        text = self.text(node, "claimReviewed", path, required=False)
        if text is None:
            for key in ("text", "name"):
                text = self.text(item_node, key, item_path, required=False)
                if text is not None:
                    self.item.note(
                        child(path, "claimReviewed"),
                        f"is missing; the claim's {key} is taken as its text",
                    )
                    break
        if text is None:
            self.item.error(child(path, "claimReviewed"), "is missing")
            raise ItemFailedError
        appearance, app_path = self.obj(item_node, "firstAppearance", item_path)
        if appearance is None:
            appearance, app_path = self.obj(item_node, "appearance", item_path)
        source = self.source(appearance, app_path)
        review_date = self.date(node, "datePublished", path)
        if review_date is None and self.page_date is not None:
            review_date = self.page_date
            self.item.note(
                child(path, "datePublished"),
                f"is missing; the date of the page it is on, {review_date}, is taken",
            )
        stated = self.date(item_node, "datePublished", item_path)
        if stated is None:
            raw = item_node.get("datePublished")
            said = "is null" if "datePublished" in item_node and raw is None else "is missing"
            if isinstance(appearance, dict):
                stated = self.date(appearance, "datePublished", app_path)
                if stated is not None:
                    self.item.note(
                        child(item_path, "datePublished"),
                        f"{said}; the appearance's date {stated} is taken",
                    )
            if stated is None and review_date is not None:
                stated = review_date
                self.item.note(
                    child(item_path, "datePublished"),
                    f"{said}; the review's date {stated} is taken",
                )
        if stated is None:
            self.item.error(
                child(item_path, "datePublished"),
                "is missing (and neither the appearance nor the review has a date)",
            )
            raise ItemFailedError
        reviewer, reviewer_path = self.obj(node, "author", path)
        if reviewer is None:
            reviewer, reviewer_path = self.obj(node, "publisher", path)
        by = self.name_of(reviewer, reviewer_path)
        author, author_path = self.obj(item_node, "author", item_path)
        ident = item_node.get("identifier")
        extra = properties(item_node, node)
        if not isinstance(ident, str):
            ident = (
                next((v for v in ident if isinstance(v, str)), None)
                if isinstance(ident, list)
                else None
            )
        rating, rating_path = self.obj(node, "reviewRating", path)
        self.claim_and_ruling(
            staged,
            path=path,
            text=text,
            text_path=child(path, "claimReviewed"),
            author=author,
            author_path=author_path,
            stated=stated,
            stated_path=child(item_path, "datePublished"),
            quote=self.text(item_node, "text", item_path, required=False),
            quote_path=child(item_path, "text"),
            topics=self.keywords(item_node, item_path),
            source=source,
            ident=ident,
            rating=rating,
            rating_path=rating_path,
            review_date=review_date,
            by=by,
            review_url=self.text(node, "url", path, required=False),
            extra=extra,
            item_path=item_path,
        )

    def rating_words(
        self, rating: dict[str, Any] | str | None, path: str
    ) -> tuple[str | None, str, Verdict | None, bool, str | None]:
        """(words, their path, verdict, words known, explanation) of a rating."""
        if isinstance(rating, str):
            words: str | None = rating.strip() or None
            rating = None
        else:
            words = None
        words_path = path
        explanation = None
        if isinstance(rating, dict):
            for key in ("alternateName", "name"):
                words = self.text(rating, key, path, required=False)
                if words is not None:
                    words_path = child(path, key)
                    break
            explanation = self.text(rating, "ratingExplanation", path, required=False)
        if words is not None:
            found = self.key_of(words)
            if found is None:
                return words, words_path, None, False, explanation
            return words, words_path, self.table[found], True, explanation
        if not isinstance(rating, dict):
            return None, words_path, None, False, explanation
        value = self.number(rating, "ratingValue", path)
        best = self.number(rating, "bestRating", path)
        worst = self.number(rating, "worstRating", path)
        if value is None:
            return None, words_path, None, False, explanation
        if best is None or worst is None:
            self.item.note(
                child(path, "ratingValue"),
                f"{value:g} without words and without both worstRating and bestRating: "
                "no ruling (a number alone is never read as a verdict)",
            )
            return None, words_path, None, False, explanation
        try:
            verdict = numeric_verdict(value, best, worst)
        except InvalidRecordError as exc:
            self.item.note(child(path, exc.field), f"{exc.value!r} {exc.reason}; no ruling")
            return None, words_path, None, False, explanation
        return None, words_path, verdict, False, explanation

    def claim_and_ruling(self, staged: list[Record], **f: Any) -> None:
        """Stage the claim (or find it already there), its ruling and its status."""
        publisher = f["by"]
        sid, new_speaker, title = self.speaker(f["author"], f["author_path"], publisher)
        words, words_path, verdict, known, explanation = self.rating_words(
            f["rating"], f["rating_path"]
        )
        if self.item.errors:
            raise ItemFailedError
        key_words = self.key_of(words) if words is not None else None
        extra: dict[str, Any] = f["extra"]
        kind = extra.get("kind")
        if kind is None:
            kind = ClaimKind.PROMISE if key_words in PROMISE_KEYS else ClaimKind.ASSERTION
        text, stated = f["text"], f["stated"]
        duplicate_key = (sid, name_key(text), stated)
        earlier = self.already_imported(f["ident"], duplicate_key)
        status = (
            words
            if words is not None and known and verdict is None and key_words not in OWN_STATUSES
            else extra.get("status")
        )
        on = f["review_date"] if f["review_date"] is not None else stated
        by = publisher
        if earlier is not None:
            claim_id = earlier
            seen = self.rulings_of.get(claim_id)
            if seen is None:
                seen = self.rulings_of[claim_id] = self.known_rulings(claim_id)
            mark = (verdict, on, by, status)
            if (verdict is None and status is None) or mark in seen:
                raise RepeatedError(earlier)
        else:
            claim_id = self.new_id(f["ident"], _slug(f"{sid} {text}"), "claim")
            claim = self.build(
                lambda: Claim(
                    claim_id,
                    sid,
                    text,
                    quote=f["quote"],
                    kind=kind,
                    stated_on=stated,
                    source=f["source"],
                    topics=f["topics"],
                    due=extra.get("due"),
                    confidence=extra.get("confidence"),
                    confidence_basis=extra.get("confidence_basis"),
                ),
                {
                    "text": f["text_path"],
                    "quote": f["quote_path"],
                    "stated_on": f["stated_path"],
                    "topics": child(f["item_path"], "keywords"),
                    "due": child(f["item_path"], "identifier"),
                    "confidence": child(f["item_path"], "identifier"),
                    "confidence_basis": child(f["item_path"], "identifier"),
                },
                f["path"],
            )
            if claim is None:
                raise ItemFailedError
            staged.append(claim)
            self.commit_speaker(sid, new_speaker, title, stated)
            self.seen_claims.setdefault(duplicate_key, claim_id)
            self.claim_keys[claim_id] = duplicate_key
            self.rulings_of[claim_id] = set()
        if words is not None and not known:
            self.unknown.append(UnknownRating(words_path, words, claim_id))
        self.rulings_of[claim_id].add((verdict, on, by, status))
        if verdict is not None:
            rationale = f"Rated {words!r}" if words is not None else None
            if explanation:
                rationale = f"{rationale}: {explanation}" if rationale else explanation
            if rationale is not None and len(rationale) > MAX_TEXT:
                rationale = rationale[: MAX_TEXT - 1] + "…"
            ruling_id = self.new_id(None, f"{claim_id}-r1", "ruling")
            ruling = self.build(
                lambda: Ruling(ruling_id, claim_id, verdict, on=on, rationale=rationale, by=by),
                {"by": f["path"], "rationale": f["rating_path"]},
                f["rating_path"],
            )
            if ruling is None:
                raise ItemFailedError
            staged.append(ruling)
        if status is not None:
            self.item.note(words_path, f"{status!r} is not a verdict; kept as the claim's status")
            evidence_id = self.new_id(None, f"{claim_id}-s1", "status")
            url = f["review_url"]
            url = url if url and url.lower().startswith(("http://", "https://")) else None
            evidence = self.build(
                lambda: Evidence(
                    evidence_id,
                    claim_id,
                    STATUS_PREFIX + status,
                    stance=Stance.CONTEXT,
                    observed_on=on,
                    source=Source(publisher=by, url=url, published=on) if by or url else None,
                ),
                {"text": words_path},
                f["path"],
            )
            if evidence is None:
                raise ItemFailedError
            staged.append(evidence)

    def known_rulings(self, claim_id: str) -> set[tuple[Any, ...]]:
        """The (verdict, date, by, status) marks of a tracker claim's rulings and status."""
        seen: set[tuple[Any, ...]] = set()
        if self.tracker is None or claim_id not in self.tracker:
            return seen
        for ruling in self.tracker.rulings(claim_id):
            seen.add((ruling.verdict, ruling.on, ruling.by, None))
        for evidence in self.tracker.evidence(claim_id):
            if evidence.stance is Stance.CONTEXT and evidence.text.startswith(STATUS_PREFIX):
                by = evidence.source.publisher if evidence.source is not None else None
                status = evidence.text.removeprefix(STATUS_PREFIX)
                seen.add((None, evidence.observed_on, by, status))
        return seen

    def already_imported(self, ident: str | None, key: tuple[str, str, PartialDate]) -> str | None:
        """The id of the claim this review is about, if it is already there.

        A review whose claim carries an ``identifier`` is about the claim of that id
        when it is the same statement; with a free identifier it is new, even if its
        wording is the same as another claim's.  Without an identifier, the same
        speaker, text and date make the same claim.
        """
        if ident is not None and valid_id(ident):
            same = self.claim_keys.get(ident)
            if same == key:
                return ident
            if same is None and not self.is_taken(ident):
                return None
        return self.seen_claims.get(key)

    # -- the whole -----------------------------------------------------------------------

    def read(self, doc: Any, reader: str, root: str = "$") -> list[Record]:
        self.reader = reader
        if reader == GOOGLE:
            answer = isinstance(doc, dict) and "claims" in doc
            # the whole answer, its claims[] on their own, or one claim
            claims = doc["claims"] if answer else doc if isinstance(doc, list) else [doc]
            where = child(root, "claims") if answer else root
            if not isinstance(claims, list):
                self.problem(where, f"is {what(claims)}, not an array")
                claims = []
            nodes = [
                pair
                for i, claim in enumerate(claims)
                for pair in api_claim(self, claim, child(where, i))
            ]
            self.problems.raise_if_any()
            check_count(len(nodes), self.limits, what="reviews")
            for pair, path in nodes:
                self.run_item(path, lambda staged, p=pair, w=path: api_review(self, p, w, staged))
        else:
            items = self.items(doc, root, top=True)
            self.problems.raise_if_any()
            check_count(len(items), self.limits, what="reviews")
            for node, path in items:
                if isinstance(node, _Unreadable):
                    self.skip_item(path, node.reason)
                else:
                    self.run_item(path, lambda staged, n=node, w=path: self.review(n, w, staged))
        self.problems.raise_if_any()
        return [*self.speaker_records(), *self.body]

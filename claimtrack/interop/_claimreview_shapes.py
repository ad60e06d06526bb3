"""The shapes of ClaimReview documents: types, contexts, loading, lenient field readers.

What every ClaimReview reader (JSON-LD, HTML, the Fact Check API) shares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from claimtrack._dates import PartialDate
from claimtrack._model import ClaimKind, Source, clean_id
from claimtrack.errors import ImportFormatError, InvalidRecordError

from ._common import (
    ImportLimits,
    ImportSource,
    Note,
    Problems,
    check_nodes,
    child,
    fail,
    is_document,
    limit_problems,
    parse_json,
    parse_json_lines,
    read_bounded,
)
from ._html import json_ld_blocks, looks_like_html

STATUS_PREFIX = "Status: "
"""The start of the text of the context evidence that keeps a rating that is not a
verdict (``"Status: In the Works"``)."""

_SCHEMA_CONTEXTS = frozenset(
    {"https://schema.org", "http://schema.org", "https://schema.org/", "http://schema.org/"}
)
ORG_TYPES = frozenset({"PoliticalParty", "NGO", "Corporation", "Project", "Consortium"})
_SPACES = re.compile(r"\s+")
OWN_STATUSES = frozenset({"pending"})  # claimtrack's own word for "no ruling yet"

JSONLD = "ClaimReview JSON-LD"
JSONL = "ClaimReview JSON Lines"
HTML = "HTML page (JSON-LD scripts)"
GOOGLE = "Google Fact Check Tools API (claims:search)"


class ItemFailedError(Exception):
    """An item cannot be imported; its problems are on the reader."""


class RepeatedError(Exception):
    """An item repeats a claim (and rating) already imported: skipped in both modes."""

    def __init__(self, claim_id: str) -> None:
        super().__init__(claim_id)
        self.claim_id = claim_id


_SCHEMA_PREFIX = re.compile(r"^(https?://schema\.org/|schema:)")


def types_of(node: Mapping[str, Any]) -> set[str]:
    value = node.get("@type")
    if isinstance(value, str):
        values = [value]
    elif isinstance(value, list):
        values = [v for v in value if isinstance(v, str)]
    else:
        return set()
    # "schema:ClaimReview" and "https://schema.org/ClaimReview" are the same type
    return {_SCHEMA_PREFIX.sub("", v) if ":" in v else v for v in values}


def context_problem(node: Mapping[str, Any]) -> str | None:
    if "@context" not in node:
        return None
    context = node["@context"]
    for value in context if isinstance(context, list) else [context]:
        if isinstance(value, dict) and set(value) <= {"@vocab", "@language"}:
            vocab = value.get("@vocab")
            if vocab is None or (isinstance(vocab, str) and vocab in _SCHEMA_CONTEXTS):
                continue
        if not (isinstance(value, str) and value in _SCHEMA_CONTEXTS):
            return (
                f"{value!r:.80} is not the schema.org context; only that context is "
                "understood, and no context is ever fetched"
            )
    return None


def what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def name_key(name: str) -> str:
    """Names compared ignoring case and spacing."""
    return _SPACES.sub(" ", name.strip()).casefold()


def valid_id(value: str) -> bool:
    try:
        clean_id(value)
    except InvalidRecordError:
        return False
    return True


class Item:
    """What one review item would add, kept only if the whole item reads."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[ImportFormatError] = []
        self.notes: list[Note] = []
        self.ids: list[str] = []

    def error(self, where: str, reason: str) -> None:
        self.errors.append(ImportFormatError(where, reason))

    def note(self, where: str, message: str) -> None:
        self.notes.append(Note(where, message))


class Fields:
    """Lenient readers of single fields; problems and notes go on the current item."""

    item: Item

    # -- small lenient readers -----------------------------------------------------------

    def text(self, node: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        """Text at *key*: an array gives its first text (noted); other types are noted."""
        value = node.get(key)
        if isinstance(value, str):
            stripped = value.strip()
            if stripped:
                return stripped  # the common case, without working out a path
        where = child(path, key)
        if isinstance(value, list):
            texts = [v.strip() for v in value if isinstance(v, str) and v.strip()]
            if texts:
                if len(texts) > 1:
                    self.item.note(where, f"an array of {len(texts)} texts; the first is taken")
                return texts[0]
            value = None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.item.error(where, "is missing")
            return None
        if not isinstance(value, str):
            if required:
                self.item.error(where, f"is {what(value)}, not text")
            else:
                self.item.note(where, f"is {what(value)}, not text; ignored")
            return None
        return value.strip()

    def obj(
        self, node: Mapping[str, Any], key: str, path: str
    ) -> tuple[dict[str, Any] | str | None, str]:
        """A nested object (the first, if a list), or a plain name string."""
        value = node.get(key)
        where = child(path, key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, dict | str) and v), None)
            if value is not None:
                where = child(where, node[key].index(value))
        if value is None or value == "":
            return None, where
        if isinstance(value, dict | str):
            return value, where
        self.item.note(where, f"is {what(value)}, not an object; ignored")
        return None, where

    def name_of(self, value: dict[str, Any] | str | None, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        return self.text(value, "name", path, required=False)

    def date(self, node: Mapping[str, Any], key: str, path: str) -> PartialDate | None:
        raw = self.text(node, key, path, required=False)
        if raw is None:
            return None
        try:
            return PartialDate.parse(raw, field=key)
        except InvalidRecordError:
            # A full timestamp dateutil does not take ("2020-05-04T10:00:00.000+0530")
            head = raw[:10]
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", head) and raw[10:11] in ("T", " "):
                try:
                    return PartialDate.parse(head, field=key)
                except InvalidRecordError:
                    pass
            self.item.note(child(path, key), f"{raw!r:.80} is not a date; ignored")
            return None

    def number(self, node: Mapping[str, Any], key: str, path: str) -> float | None:
        """A number; ``""``, ``null`` and ``-1`` are absent, other non-numbers noted."""
        value = node.get(key)
        if value is None or value == "":
            return None
        number: float | None = None
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        if number is None or number != number or number in (float("inf"), float("-inf")):
            self.item.note(child(path, key), f"{short(value)} is not a number; ignored")
            return None
        return None if number == -1 else number

    def urls(self, node: Mapping[str, Any], path: str) -> tuple[str, ...]:
        value = node.get("sameAs")
        values = value if isinstance(value, list) else [] if value is None else [value]
        out = []
        for url in values:
            if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
                out.append(url.strip())
            else:
                self.item.note(child(path, "sameAs"), f"{short(url)} is not a web URL; ignored")
        return tuple(out)

    def build(self, make: Any, paths: Mapping[str, str], default: str) -> Any:
        """Build a record, turning its validation error into an item error at its path."""
        try:
            return make()
        except InvalidRecordError as exc:
            where = paths.get(exc.field, default)
            self.item.error(where, f"{short(exc.value)} {exc.reason}")
            return None

    def keywords(self, item: Mapping[str, Any], path: str) -> tuple[str, ...]:
        value = item.get("keywords")
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        if isinstance(value, list):
            words = tuple(k.strip() for k in value if isinstance(k, str) and k.strip())
            if len(words) < len(value):
                self.item.note(child(path, "keywords"), "entries that are not text ignored")
            return words
        self.item.note(child(path, "keywords"), f"is {what(value)}, not text; ignored")
        return ()

    def source(self, node: dict[str, Any] | str | None, path: str) -> Source | None:
        if node is None:
            return None
        if isinstance(node, str):
            node = {"url": node}
        publisher, publisher_path = self.obj(node, "publisher", path)
        author, author_path = self.obj(node, "author", path)
        title = self.text(node, "headline", path, required=False)
        if title is None:
            title = self.text(node, "name", path, required=False)
        url = self.text(node, "url", path, required=False)
        if url is not None and not url.lower().startswith(("http://", "https://")):
            self.item.note(child(path, "url"), f"{short(url)} is not a web URL; ignored")
            url = None
        fields = {
            "title": title,
            "publisher": self.name_of(publisher, publisher_path),
            "author": self.name_of(author, author_path),
            "published": self.date(node, "datePublished", path),
            "url": url,
        }
        if all(fields[k] is None for k in ("title", "publisher", "url")):
            return None
        try:
            return Source(**fields)
        except InvalidRecordError as exc:
            self.item.note(path, f"{short(exc.value)} {exc.reason}; the source is ignored")
            return None


PROPERTY_PREFIX = "claimtrack:"
"""The ``propertyID`` prefix of the ``PropertyValue`` s that carry claimtrack's own fields."""


def properties(item: Mapping[str, Any], review: Mapping[str, Any]) -> dict[str, Any]:
    """Claimtrack's own fields (kind, due, confidence, its basis, status) of a claim.

    They are read from the ``PropertyValue`` s of the claim's ``identifier`` (or
    ``additionalProperty``).  Values that do not read are left out: these fields are
    optional.
    """
    out: dict[str, Any] = {}
    values: list[Any] = []
    for key in ("identifier", "additionalProperty"):
        value = item.get(key)
        values.extend(value if isinstance(value, list) else [value])
    for node in values:
        if not (isinstance(node, dict) and "PropertyValue" in types_of(node)):
            continue
        name, value = node.get("propertyID"), node.get("value")
        if not isinstance(name, str) or not name.startswith(PROPERTY_PREFIX):
            continue
        name = name.removeprefix(PROPERTY_PREFIX)
        try:
            if name == "kind" and isinstance(value, str):
                out["kind"] = ClaimKind(value)
            elif name == "due" and isinstance(value, str):
                out["due"] = PartialDate.parse(value, field="due")
            elif name == "confidence" and isinstance(value, int | float):
                out["confidence"] = float(value)
            elif name in ("confidence_basis", "status") and isinstance(value, str):
                out[name] = value
        except (ValueError, InvalidRecordError):
            continue
    return out


# -- loading a document ---------------------------------------------------------------------


def _api_claim(node: Any) -> bool:
    return isinstance(node, dict) and "claimReview" in node and "@type" not in node


def load(source: ImportSource, limits: ImportLimits) -> tuple[Any, str, list[ImportFormatError]]:
    """Read, size-check and parse *source*; then check it against the other limits.

    Returns the document, the reader that fits it, and the problems of the limits
    that lie inside some part of it (the caller decides: fatal, or skip the items).
    """
    if not isinstance(limits, ImportLimits):
        raise InvalidRecordError("limits", limits, "must be an ImportLimits")
    reader = JSONLD
    if is_document(source):
        doc: Any = list(source) if isinstance(source, tuple) else source
    else:
        text = read_bounded(source, limits)
        name = str(getattr(source, "name", source)) if not isinstance(source, str | bytes) else ""
        if looks_like_html(text):
            reader = HTML
            blocks = json_ld_blocks(text)
            check_nodes(" ,".join(blocks), limits)
            doc = []
            problems = Problems()
            for i, block in enumerate(blocks):
                try:
                    doc.append(parse_json(block, path=f"$[{i}]"))
                except ExceptionGroup as exc:
                    problems.listed.extend(exc.exceptions)  # type: ignore[arg-type]
                    doc.append(None)
            if problems.listed:
                return doc, reader, problems.listed
            if not blocks:
                raise fail("$", "is an HTML page with no JSON-LD script element")
        elif name.endswith(".jsonl"):
            check_nodes(text, limits, lines=True)
            doc, reader = parse_json_lines(text), JSONL
        else:
            check_nodes(text, limits)
            try:
                doc = parse_json(text)
            except ExceptionGroup as exc:
                # JSON Lines: several values, one per line ("Extra data" after the first)
                if "Extra data" not in str(exc.exceptions[0]):
                    raise
                check_nodes(text, limits, lines=True)
                doc, reader = parse_json_lines(text), JSONL
    api_keys = (
        "claims" in doc or "claimReview" in doc or not doc if isinstance(doc, dict) else False
    )
    if reader != HTML and isinstance(doc, dict) and "@type" not in doc and api_keys:
        reader = GOOGLE  # (the API answers {} when nothing matches)
    elif reader == JSONLD and isinstance(doc, list) and doc and all(_api_claim(c) for c in doc):
        reader = GOOGLE  # the answer's claims[] on their own
    errors, unlisted = limit_problems(doc, limits)
    if unlisted:
        errors.append(ImportFormatError("$", f"and {unlisted} more problems of the limits"))
    return doc, reader, errors


_PAGE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "WebPage",
        "BlogPosting",
    }
)


def page_date(blocks: list[Any]) -> str | None:
    """The ``datePublished`` of the article or web page an HTML page's JSON-LD describes.

    A review on a page without a date of its own was published with its page.
    """
    todo = list(blocks)
    while todo:
        node = todo.pop(0)
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            if "@graph" in node:
                graph = node["@graph"]
                todo.extend(graph if isinstance(graph, list) else [graph])
            date = node.get("datePublished")
            if types_of(node) & _PAGE_TYPES and isinstance(date, str) and date.strip():
                return date.strip()
    return None


def inside(path: str, items: set[str]) -> str | None:
    """The item path that *path* lies in, if any (trying ever shorter prefixes)."""
    current = path.removesuffix(" (a key)")
    while current:
        if current in items:
            return current
        cut = max(current.rfind("."), current.rfind("["))
        if cut <= 0:
            return None
        current = current[:cut]
    return None

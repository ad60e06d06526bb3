"""The JSON-LD blocks of an HTML page, found with the standard library's HTML parser.

Only ``<script type="application/ld+json">`` elements are read; nothing in the page is
run or fetched.  :class:`html.parser.HTMLParser` tolerates what real pages do:
unquoted and upper-case attributes, unclosed elements, stray end tags.  The body of a
script element is raw text in HTML (entities are *not* decoded in it), which is how it
is handed over; a ``<!-- … -->`` or ``<![CDATA[ … ]]>`` wrapper, which some
publishing systems put around it, is taken off.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["json_ld_blocks", "looks_like_html"]

_LD_JSON = "application/ld+json"
_WRAPPERS = re.compile(
    r"\A\s*(?://\s*)?(?:<!--|<!\[CDATA\[)?(.*?)(?://\s*)?(?:-->|\]\]>)?\s*\Z", re.DOTALL
)


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        kind = next((v for k, v in attrs if k == "type"), None) or ""
        if kind.split(";", 1)[0].strip().lower() == _LD_JSON:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append(_unwrap("".join(self._current)))
            self._current = None


def _unwrap(text: str) -> str:
    match = _WRAPPERS.match(text)
    return match.group(1) if match else text


def looks_like_html(text: str) -> bool:
    """Whether *text* is an HTML page rather than JSON (its first character is ``<``)."""
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def json_ld_blocks(page: str) -> list[str]:
    """The text of every JSON-LD script element of an HTML page, in page order.

    Example:
        >>> from claimtrack.interop._html import json_ld_blocks
        >>> json_ld_blocks('<p><script type=application/ld+json>{"a": 1}</script>'
        ...                '<script>alert(1)</script>')
        ['{"a": 1}']
    """
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    if parser._current is not None:  # a script element the page never closed
        parser.blocks.append(_unwrap("".join(parser._current)))
    return parser.blocks

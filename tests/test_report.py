"""Scorecards: Markdown and self-contained HTML, with hostile text kept inert."""

from __future__ import annotations

import html.parser
import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import claimtrack as ct
from claimtrack import report
from claimtrack import strategies as cts

HOSTILE = "<script>alert(1)</script> | **bold** [link](javascript:alert(2)) & &amp; \"'"


class Page(html.parser.HTMLParser):
    """Collects what a browser would see: tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def _parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def hostile_ledger() -> ct.Tracker:
    """Hostile text in every field a report shows."""
    t = ct.Tracker()
    src = ct.Source(
        title=HOSTILE, publisher=HOSTILE, author=HOSTILE, url="javascript://x/%0Aalert(3)"
    )
    t.add_speaker(HOSTILE, id="s<script>", roles=[ct.Role(HOSTILE, start="2025")])
    t.add_claim(
        "s<script>", HOSTILE, id="c<script>", quote=HOSTILE, stated_on="2025-02-18",
        source=src, topics={HOSTILE}, confidence=0.8, due="2025-12-31",
    )  # fmt: skip
    t.add_evidence(
        "c<script>", HOSTILE, id="e<script>", stance="supports", strength="strong",
        observed_on="2025-03-01", source=src,
    )  # fmt: skip
    t.add_evidence("c<script>", HOSTILE, stance="refutes", observed_on="2025-03-02", source=src)
    t.rule("c<script>", "held", on="2025-03-03", rationale=HOSTILE, by=HOSTILE)
    t.retract("c<script>-e2", reason=HOSTILE)
    return t


class TestMarkdown:
    def test_scorecard_contents(self, riyadh: ct.Tracker) -> None:
        """Per speaker the counts, hit rate and interval; per claim verdict and timeline."""
        text = report.markdown(riyadh)
        lines = text.splitlines()
        assert lines[0] == "# claimtrack scorecard"
        row = next(line for line in lines if line.startswith("| Donald Trump |"))
        assert row == "| Donald Trump | 1 | 1 | 100 % | 21\N{EN DASH}100 % | 0.010 (n=1) |"
        assert "## Volodymyr Zelenskyy" in lines
        assert "### Ukraine will be involved in the peace negotiations." in lines
        assert "- **held**, probability" in text
        assert "~~A misreported meeting.~~ (retracted: misreported)" in text
        timeline = [line for line in lines if line.startswith("| 2025-")]
        assert timeline[0].startswith("| 2025-02-18 | stated |")

    def test_as_of_changes_the_verdicts(self, riyadh: ct.Tracker) -> None:
        """A report as of a date judges only on what had happened by then."""
        early = report.markdown(riyadh, as_of="2025-02-18")
        assert "Judged on what had happened by 2025-02-18." in early
        assert "**held**" not in early.split("## Volodymyr Zelenskyy")[1]

    def test_hostile_text_is_inert(self) -> None:
        """Ledger text cannot add HTML, links, emphasis or table cells to the Markdown."""
        text = report.markdown(hostile_ledger())
        assert "<script>" not in text
        assert "<javascript" not in text
        assert re.search(r"(?<!\\)\]\(javascript", text) is None
        assert "\\<script\\>alert(1)\\</script\\>" in text
        for line in text.splitlines():
            if line.startswith("| 2025-"):
                unescaped = line.replace("\\|", "")
                assert unescaped.count("|") == 6, line

    def test_unknown_speaker(self, riyadh: ct.Tracker) -> None:
        """Asking for a speaker not in the ledger raises UnknownRecordError."""
        with pytest.raises(ct.errors.UnknownRecordError, match="nobody"):
            report.markdown(riyadh, speakers=["nobody"])


@pytest.mark.skipif(importlib.util.find_spec("jinja2") is None, reason="needs the html extra")
class TestHtml:
    def test_single_self_contained_file(self, riyadh: ct.Tracker) -> None:
        """The page has no script, fetches nothing, and shows every speaker and claim."""
        page = _parse(report.html(riyadh, charts=False))
        assert "script" not in page.tags
        assert not {"link", "img", "iframe", "object", "embed"} & set(page.tags)
        for tag, name, value in page.attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert value is not None
                assert value.startswith(("#", "https://", "http://"))
        for name in ("Donald Trump", "Volodymyr Zelenskyy", "Sergey Lavrov"):
            assert name in page.all_text
        assert "Ukraine will not accept any agreement made without it." in page.all_text

    def test_hostile_text_is_shown_escaped(self) -> None:
        """`<script>` in every field is text on the page, never an element."""
        source = report.html(hostile_ledger(), title=HOSTILE, charts=False)
        page = _parse(source)
        assert "script" not in page.tags
        assert "<script>alert(1)</script>" not in source
        shown = page.all_text.count("<script>alert(1)</script>")
        # title x2 (head and h1), speaker x2 (table, heading), role, claim text in the
        # heading and the timeline, quote, two evidence texts, their source words,
        # ruling rationale and "by": all of them text.
        assert shown >= 12
        hrefs = [v for _, k, v in page.attrs if k == "href"]
        assert all(v is not None and not v.startswith("javascript") for v in hrefs)

    def test_charts_inline_svg(self, riyadh: ct.Tracker) -> None:
        """With matplotlib, the charts are inline <svg> elements, without XML prologs."""
        pytest.importorskip("matplotlib")
        source = report.html(riyadh)
        page = _parse(source)
        assert page.tags.count("svg") >= 3
        assert "<?xml" not in source
        assert "<!DOCTYPE svg" not in source
        assert "script" not in page.tags

    def test_hostile_text_in_charts(self) -> None:
        """Hostile speaker names and claim texts in the charts stay escaped too."""
        pytest.importorskip("matplotlib")
        page = _parse(report.html(hostile_ledger()))
        assert "script" not in page.tags
        assert "svg" in page.tags

    def test_says_how_to_get_charts(
        self, riyadh: ct.Tracker, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without matplotlib, the page says which extra brings the charts."""
        monkeypatch.setattr(report, "plots_available", lambda: False)
        page = _parse(report.html(riyadh))
        assert "svg" not in page.tags
        assert "pip install 'claimtrack[plot]'" in page.all_text


class TestWithoutExtras:
    def test_without_jinja2(self, riyadh: ct.Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without Jinja2, the HTML report fails with a message naming the extra."""
        monkeypatch.setitem(sys.modules, "jinja2", None)
        with pytest.raises(ImportError, match=r"claimtrack\[html\]"):
            report.html(riyadh)


class TestWrite:
    @pytest.mark.parametrize(("name", "start"), [("card.md", "# "), ("card.html", "<!DOCTYPE")])
    def test_format_from_suffix(
        self, riyadh: ct.Tracker, tmp_path: Path, name: str, start: str
    ) -> None:
        """The format follows the file's suffix."""
        if name.endswith("html"):
            pytest.importorskip("jinja2")
        written = report.write(riyadh, tmp_path / name, charts=False)
        assert written.read_text(encoding="utf-8").startswith(start)

    def test_unknown_format(self, riyadh: ct.Tracker, tmp_path: Path) -> None:
        """A file that is neither .md nor .html, without a format, is refused."""
        with pytest.raises(ct.errors.InvalidRecordError, match="format"):
            report.write(riyadh, tmp_path / "card.pdf")
        assert os.listdir(tmp_path) == []

    def test_failure_leaves_nothing(
        self, riyadh: ct.Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A failure while writing leaves neither the report nor a temporary file."""
        (tmp_path / "card.md").write_text("old", encoding="utf-8")

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise OSError("disk full")

        monkeypatch.setattr(report.os, "replace", broken)
        with pytest.raises(OSError, match="disk full"):
            report.write(riyadh, tmp_path / "card.md")
        assert os.listdir(tmp_path) == ["card.md"]
        assert (tmp_path / "card.md").read_text(encoding="utf-8") == "old"


class TestOptionalImports:
    def test_plot_without_matplotlib(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Importing claimtrack.plot without matplotlib names the extra to install."""
        import importlib

        for name in [m for m in sys.modules if m.split(".")[0] == "matplotlib"] + ["matplotlib"]:
            monkeypatch.setitem(sys.modules, name, None)
        monkeypatch.delitem(sys.modules, "claimtrack.plot", raising=False)
        with pytest.raises(ImportError, match=r"pip install 'claimtrack\[plot\]'"):
            importlib.import_module("claimtrack.plot")


class TestProperties:
    @settings(max_examples=40)
    @given(cts.ledgers())
    def test_markdown_shows_every_speaker_and_claim(self, records: list[ct.Record]) -> None:
        """Any ledger: one section per speaker, one heading per standing claim, no raw HTML."""
        t = ct.Tracker()
        t.add_many(records)
        text = report.markdown(t)
        headings = [line for line in text.splitlines() if line.startswith("## ")]
        claims = [line for line in text.splitlines() if line.startswith("### ")]
        assert len(headings) == len(t.speakers())
        assert len(claims) == len(t.claims())
        without_links = re.sub(r"<https?://[^<>\s]*>", "", text)
        assert re.search(r"(?<!\\)<", without_links) is None

    @settings(max_examples=40)
    @given(cts.ledgers())
    def test_html_shows_every_text_as_text(self, records: list[ct.Record]) -> None:
        """Any ledger: the page has no script and shows every name and claim as text."""
        pytest.importorskip("jinja2")
        t = ct.Tracker()
        t.add_many(records)
        page = _parse(report.html(t, charts=False))
        assert "script" not in page.tags
        shown = page.all_text
        for speaker in t.speakers():
            assert " ".join(speaker.name.split()) in shown
        for claim in t.claims():
            assert " ".join(claim.text.split()) in shown


class TestForecastsInReports:
    def test_forecast_record_beside_the_track_record(self) -> None:
        """A forecaster's record is shown under their track record, in Markdown and HTML."""
        t = ct.Tracker()
        for who in ("alice", "bob"):
            t.add_speaker(who.title(), id=who)
        t.add_claim("bob", "It will rain.", id="c", stated_on="2025-03-01")
        t.forecast("c", by="alice", probability=0.8, made_on="2025-03-01")
        t.rule("c", "held", on="2025-03-03")
        expected = "Forecasts: " + t.forecast_record("alice").summary()
        assert expected in report.markdown(t)
        cards = {c.speaker.id: c for c in report.Scorecard.gather(t).speakers}
        assert cards["bob"].forecasts is None
        if importlib.util.find_spec("jinja2") is not None:
            assert expected in report.html(t)

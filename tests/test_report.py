"""Scorecards: Markdown and self-contained HTML, with hostile text kept inert."""

from __future__ import annotations

import datetime as dt
import html
import html.parser
import importlib.util
import os
import re
import shutil
import subprocess
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
        title=HOSTILE,
        publisher=HOSTILE,
        author=HOSTILE,
        url='https://x.example/"><script>alert(3)</script>',
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
        timeline = [line for line in lines if line.startswith("| 18\N{NO-BREAK SPACE}Feb")]
        assert timeline[0].startswith(
            "| 18\N{NO-BREAK SPACE}February\N{NO-BREAK SPACE}2025 | stated |"
        )

    def test_as_of_changes_the_verdicts(self, riyadh: ct.Tracker) -> None:
        """A report as of a date judges only on what had happened by then."""
        early = report.markdown(riyadh, as_of="2025-02-18")
        assert "Judged as of 18 February 2025, on what had happened by then." in early
        assert "**held**" not in early.split("## Volodymyr Zelenskyy")[1]

    def test_hostile_text_is_inert(self) -> None:
        """Ledger text cannot add HTML, links, emphasis or table cells to the Markdown."""
        text = report.markdown(hostile_ledger())
        assert "<script>" not in text
        assert "<javascript" not in text
        assert re.search(r"(?<!\\)\]\(javascript", text) is None
        assert "\\<script\\>alert(1)\\</script\\>" in text
        for line in text.splitlines():
            if line.startswith("| 18\N{NO-BREAK SPACE}"):
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


def near_certain() -> ct.Tracker:
    """A claim at a probability of 0.998: over 99 %, not certain."""
    t = ct.Tracker(clock=lambda: dt.datetime(2025, 11, 24, 9, 30, tzinfo=dt.UTC))
    t.add_speaker("Government of the United States of America", id="us")
    t.add_claim("us", "A minerals deal will be signed.", id="deal", stated_on="2025-02-18")
    for day in ("2025-03-01", "2025-04-01"):
        t.add_evidence("deal", f"Progress {day}.", stance="supports", strength="strong",
                       observed_on=day)  # fmt: skip
    t.add_evidence("deal", "Drafts shared.", stance="supports", strength="weak",
                   observed_on="2025-04-02")  # fmt: skip
    return t


class TestAnEditorsReport:
    def test_states_the_date_it_judges_and_when_it_was_made(self) -> None:
        """Both formats say the date the verdicts stand for and when the report was made."""
        expected = (
            "Judged as of 24 November 2025, on everything recorded by then. "
            "Made on 24 November 2025, 09:30 UTC."
        )
        assert expected in report.markdown(near_certain())
        pytest.importorskip("jinja2")
        assert expected in _parse(report.html(near_certain(), charts=False)).all_text

    def test_as_of_is_the_date_judged(self) -> None:
        """With as_of, the report says it judges as of that date."""
        text = report.markdown(near_certain(), as_of="2025-03-15")
        assert "Judged as of 15 March 2025, on what had happened by then." in text

    def test_no_percent_reads_certain_short_of_certainty(self) -> None:
        """A probability of 0.998 reads "over 99 %" in both reports, never "100 %"."""
        md = report.markdown(near_certain())
        assert "- **held**, probability over 99 %" in md
        assert "probability 100" not in md
        assert "to 100 %" not in md
        pytest.importorskip("jinja2")
        shown = _parse(report.html(near_certain(), charts=False)).all_text
        assert "probability over 99 %" in shown  # all_text splits at no-break spaces
        assert "probability 100" not in shown
        assert "to 100 %" not in shown

    def test_names_not_ids(self, riyadh: ct.Tracker) -> None:
        """Explanations name the speaker; the claim id appears once, small, for citing."""
        md = report.markdown(riyadh)
        assert "(Donald Trump, 18 February 2025)" in md
        assert "(trump, " not in md
        pytest.importorskip("jinja2")
        source = report.html(riyadh, charts=False)
        shown = _parse(source).all_text
        assert "(Donald Trump, 18 February 2025)" in shown
        assert "(trump, " not in shown
        assert 1 == source.count('<code class="id">trump-involved</code>')
        assert "user-select: all" in source

    def test_a_ruling_says_what_the_evidence_alone_says(self, riyadh: ct.Tracker) -> None:
        """No "(computed: ...)" jargon: "the evidence alone says pending" instead."""
        md = report.markdown(riyadh)
        assert "computed" not in md
        assert "- **held**, probability 80 %; the evidence alone says pending" in md
        pytest.importorskip("jinja2")
        shown = _parse(report.html(riyadh, charts=False)).all_text
        assert "computed" not in shown
        assert "the evidence alone says pending" in shown

    def test_separators_have_spaces(self, riyadh: ct.Tracker) -> None:
        """Every "·" on the page has a space on both sides (no ")· assurance")."""
        pytest.importorskip("jinja2")
        source = report.html(riyadh, charts=False)
        shown = html.unescape(re.sub(r"<[^>]*>", "", source))  # text as a browser joins it
        assert "·" in shown
        assert re.search(r"\S·|·\S", shown) is None

    def test_dates_do_not_wrap(self, riyadh: ct.Tracker) -> None:
        """Timeline dates are in words in cells that do not wrap."""
        pytest.importorskip("jinja2")
        source = report.html(riyadh, charts=False)
        assert '<td class="date">18 February 2025</td>' in source
        assert re.search(r"td\.date[^{]*\{[^}]*white-space: nowrap", source)

    def test_control_characters_are_dropped(self) -> None:
        """ESC and BEL in ledger text do not reach the page or the Markdown."""
        t = ct.Tracker()
        t.add_speaker("Lavrov\x1b[2J\x07", id="lavrov")
        t.add_claim("lavrov", "Talks\x1b]0;owned\x07 will focus.", id="c", stated_on="2025-02-18")
        md = report.markdown(t)
        assert "\x1b" not in md
        assert "\x07" not in md
        pytest.importorskip("jinja2")
        page = report.html(t, charts=False)
        assert "\x1b" not in page
        assert "Talks]0;owned will focus." in _parse(page).all_text

    def test_bidi_overrides_are_isolated(self) -> None:
        """A right-to-left override in a name is confined to the name."""
        t = ct.Tracker()
        t.add_speaker("evil\u202eeman", id="e")
        md = report.markdown(t)
        assert "\u2068evil\u202eeman\u2069" in md
        pytest.importorskip("jinja2")
        assert "<bdi>evil\u202eeman</bdi>" in report.html(t, charts=False)


class TestWhereReportsGo:
    def test_format_contradicting_the_suffix_is_refused(
        self, riyadh: ct.Tracker, tmp_path: Path
    ) -> None:
        """Markdown is never written into a .html file: the call fails and writes nothing."""
        with pytest.raises(ct.errors.InvalidRecordError, match=r"format.*card\.html"):
            report.write(riyadh, tmp_path / "card.html", format="md")
        assert [] == os.listdir(tmp_path)

    def test_an_unknown_suffix_takes_the_format_given(
        self, riyadh: ct.Tracker, tmp_path: Path
    ) -> None:
        """A file whose suffix says nothing is written in the format asked for."""
        path = report.write(riyadh, tmp_path / "card.txt", format="md")
        assert path.read_text(encoding="utf-8").startswith("# ")

    @pytest.mark.parametrize("name", ["ledger.jsonl", "ledger.db"])
    def test_the_ledger_itself_is_refused(self, tmp_path: Path, name: str) -> None:
        """A report or chart aimed at the ledger's own file is refused; the ledger survives."""
        path = tmp_path / name
        with ct.open(path) as t:
            t.add_speaker("Sergey Lavrov", id="lavrov")
            link = tmp_path / "link.md"
            link.symlink_to(path)
            for target in (path, tmp_path / "." / name, link):
                with pytest.raises(ct.errors.InvalidRecordError, match="ledger itself"):
                    report.write(t, target, format="md")
            if importlib.util.find_spec("matplotlib"):
                chart_link = tmp_path / "link.svg"
                chart_link.symlink_to(path)
                with pytest.raises(ct.errors.InvalidRecordError, match="ledger itself"):
                    report.write_chart(t, chart_link, "track-records")
        with ct.open(path) as again:
            assert ["lavrov"] == [s.id for s in again.speakers()]


class TestCharts:
    @pytest.fixture(autouse=True)
    def _needs_matplotlib(self) -> None:
        pytest.importorskip("matplotlib")

    @pytest.mark.parametrize(("name", "magic"), [("c.png", b"\x89PNG"), ("c.svg", b"<?xml")])
    def test_write_chart_by_suffix(
        self, riyadh: ct.Tracker, tmp_path: Path, name: str, magic: bytes
    ) -> None:
        """write_chart writes PNG or SVG as the file name says."""
        path = report.write_chart(riyadh, tmp_path / name, "probability", claim="trump-involved")
        assert path.read_bytes().startswith(magic)

    def test_write_chart_refuses_a_contradiction(self, riyadh: ct.Tracker, tmp_path: Path) -> None:
        """An SVG is not written into a .png file."""
        with pytest.raises(ct.errors.InvalidRecordError, match="format"):
            report.write_chart(riyadh, tmp_path / "c.png", "calibration", format="svg")
        assert [] == os.listdir(tmp_path)

    def test_charts_label_speakers_by_name(self, riyadh: ct.Tracker) -> None:
        """The track-record chart is labelled with names, not ids."""
        fig = report.chart(riyadh, "track-records")
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert ["Donald Trump", "Volodymyr Zelenskyy", "Sergey Lavrov"] == labels

    def test_calibration_of_one_speaker_or_all(self, riyadh: ct.Tracker) -> None:
        """A calibration chart is of everyone or of one speaker, named in its title."""
        assert "calibration (Brier" in report.chart(riyadh, "calibration").axes[0].get_title()
        one = report.chart(riyadh, "calibration", speakers=["trump"]).axes[0].get_title()
        assert one.startswith("calibration: Donald Trump (Brier")
        with pytest.raises(ct.errors.InvalidRecordError, match="speakers"):
            report.chart(riyadh, "calibration", speakers=["trump", "lavrov"])

    def test_unknown_chart(self, riyadh: ct.Tracker) -> None:
        """A chart that does not exist is an error naming the argument."""
        with pytest.raises(ct.errors.InvalidRecordError, match="which"):
            report.chart(riyadh, "pie")  # type: ignore[arg-type]
        with pytest.raises(ct.errors.InvalidRecordError, match="claim"):
            report.chart(riyadh, "probability")

    def test_dollar_text_in_every_field(self, tmp_path: Path) -> None:
        """A ledger with `$...$` in every field gives a full HTML report with its charts."""
        math = r"Price per $\ounce$ halves."
        t = ct.Tracker()
        src = ct.Source(title=math, publisher=math, author=math)
        t.add_speaker(math, id="s", roles=[ct.Role(math, start="2025")])
        t.add_claim("s", math, id="c", quote=math, stated_on="2025-02-18", source=src,
                    topics={math}, confidence=0.8)  # fmt: skip
        t.add_evidence("c", math, stance="supports", strength="conclusive",
                       observed_on="2025-03-01", source=src)  # fmt: skip
        t.rule("c", "held", on="2025-03-02", rationale=math, by=math)
        pytest.importorskip("jinja2")
        page = report.write(t, tmp_path / "card.html").read_text(encoding="utf-8")
        assert page.count("<svg") >= 3
        assert math in _parse(page).all_text


# -- in a real browser ------------------------------------------------------------------

PWN = "document.documentElement.setAttribute('data-pwned', '{}')"
BROWSER_HOSTILE = (
    f"<script>{PWN.format('script')}</script></script>"
    f'<img src=x onerror="{PWN.format("img")}"><svg onload="{PWN.format("svg")}"> '
    r"Price per $\ounce$ halves. "
    "\x1b[31mred\x1b[0m\x07 \u202eevil override\u202c " + "Unbreakable" * 40
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PHONE = (390, 844)
DESKTOP = (1280, 900)


def _chromium() -> str:
    """The Chromium binary; a skip only outside CI (``.ci/run`` installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing, and CI is set: .ci/run installs it")
        pytest.skip("chromium is not installed")
    return found


def browser_ledger() -> ct.Tracker:
    """Hostile text (script, event handlers, mathtext, ESC, bidi, long words) everywhere."""
    h = BROWSER_HOSTILE
    t = ct.Tracker(clock=lambda: dt.datetime(2025, 11, 24, 9, tzinfo=dt.UTC))
    src = ct.Source(
        title=h, publisher=h, author=h, url='https://x.example/"><script>alert(1)</script>'
    )
    web = ct.Source(title=h, url="https://example.org/" + "x" * 300)
    t.add_speaker(h, id="s", roles=[ct.Role(h, start="2025")])
    t.add_speaker("Government of the United States of America", id="us")
    t.add_claim(
        "s", h, id="c", quote=h, stated_on="2025-02-18", source=src, topics={"t"},
        confidence=0.8, due="2025-12-31",
    )  # fmt: skip
    t.add_evidence("c", h, id="e1", stance="supports", strength="strong",
                   observed_on="2025-03-01", source=web)  # fmt: skip
    t.add_evidence("c", h, id="e2", stance="refutes", observed_on="2025-03-02", source=src)
    t.add_evidence("c", h, id="e3", stance="supports", strength="strong",
                   observed_on="2025-03-03")  # fmt: skip
    t.rule("c", "partly_held", on="2025-03-04", rationale=h, by=h)
    t.retract("e2", reason=h)
    t.add_claim("us", "Minerals deal.", id="u", stated_on="2025-02-18", confidence=0.9)
    t.add_evidence("u", "Signed.", stance="supports", strength="conclusive",
                   observed_on="2025-04-30")  # fmt: skip
    return t


@pytest.mark.skipif(importlib.util.find_spec("jinja2") is None, reason="needs the html extra")
class TestInABrowser:
    def _run(self, chromium: str, tmp_path: Path, *args: str) -> str:
        profile = tmp_path / "profile"
        result = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == result.returncode, result.stderr[-2000:]
        return result.stdout

    def _page(self, tmp_path: Path) -> Path:
        path = tmp_path / "report.html"
        report.write(browser_ledger(), path, title=BROWSER_HOSTILE)
        return path

    def test_no_script_runs(self, tmp_path: Path) -> None:
        """Chromium's DOM of the page: no payload became an element or ran."""
        chromium = _chromium()
        page = self._page(tmp_path)
        dom = self._run(chromium, tmp_path, "--dump-dom", page.as_uri())
        dom = re.sub(r"<!--.*?-->", "", dom, flags=re.DOTALL)  # the SVG's own comments
        opening = re.search(r"<html[^>]*>", dom)
        assert opening is not None
        assert "data-pwned" not in opening.group(0)
        assert re.search(r"<(script|img|iframe|object|embed)\b", dom, re.IGNORECASE) is None
        assert re.search(r"<[^>]+\son\w+=", dom) is None
        assert "&lt;script&gt;document.documentElement" in dom
        assert "\x1b" not in dom
        # A control: the same browser does run a script the test itself puts in.
        control = tmp_path / "control.html"
        control.write_text(
            page.read_text(encoding="utf-8").replace(
                "</body>", f"<script>{PWN.format('control')}</script></body>"
            ),
            encoding="utf-8",
        )
        ran = self._run(chromium, tmp_path, "--dump-dom", control.as_uri())
        assert 'data-pwned="control"' in ran

    def test_fits_a_phone_and_is_photographed(self, tmp_path: Path) -> None:
        """At 390 px the page is no wider than the phone; screenshots are saved."""
        chromium = _chromium()
        page = self._page(tmp_path)
        # Chromium's headless window is at least 500 px wide, so the page is measured
        # in a 390 px frame of a test-only wrapper page, which runs the test's script.
        width, height = PHONE
        measure = (
            "window.addEventListener('load', () => {"
            " const d = document.getElementById('f').contentDocument.documentElement;"
            " document.title = 'scroll=' + d.scrollWidth + ' client=' + d.clientWidth; });"
        )
        wrapper = tmp_path / "phone.html"
        wrapper.write_text(
            "<!DOCTYPE html><html><head><title>measuring</title></head>"
            '<body style="margin:0">'
            f'<iframe id="f" srcdoc="{html.escape(page.read_text(encoding="utf-8"))}" '
            f'style="border:0;display:block;width:{width}px;height:{height}px"></iframe>'
            f"<script>{measure}</script></body></html>",
            encoding="utf-8",
        )
        dom = self._run(chromium, tmp_path, "--dump-dom", wrapper.as_uri())
        found = re.search(r"<title>scroll=(\d+) client=(\d+)</title>", dom)
        assert found is not None, dom[:500]
        scroll, client = int(found.group(1)), int(found.group(2))
        assert client <= width
        assert scroll <= width, f"the page is {scroll} px wide on a {width} px phone"
        for name, (w, h) in {"desktop": DESKTOP, "phone": PHONE}.items():
            shot = tmp_path / f"report-{name}.png"
            target = wrapper if name == "phone" else page
            self._run(
                chromium, tmp_path, f"--screenshot={shot}", f"--window-size={w},{h}",
                target.as_uri(),
            )  # fmt: skip
            assert shot.read_bytes().startswith(b"\x89PNG")
            assert shot.stat().st_size > 5_000


class TestOneRoundingRule:
    def test_table_and_sentence_agree(self) -> None:
        """A hit rate of 0.625 is "63 %" in the table and in the summary beside it."""
        t = ct.Tracker()
        t.add_speaker("Ines Calloway", id="calloway")
        verdicts = ["held"] * 4 + ["partly_held"] * 2 + ["failed"] * 2
        for i, verdict in enumerate(verdicts):
            t.add_claim("calloway", f"Promise {i}.", id=f"p{i}", stated_on="2025-01-01")
            t.rule(f"p{i}", verdict, on="2025-02-01")
        text = report.markdown(t)
        assert "| Ines Calloway | 8 | 8 | 63 % |" in text
        assert "a hit rate of 63 %" in text


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
            page = report.html(t).replace("\u00a0", " ").replace("&nbsp;", " ")
            assert expected in page  # (the page binds numbers to their units)

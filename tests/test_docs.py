"""The API reference documents every public name.

The docs build itself (``sphinx-build -n -W`` and the doctest builder) is run by
``.ci/run``, not here: it takes seconds, and pytest stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import claimtrack

API = Path(__file__).resolve().parent.parent / "docs" / "api.md"

# An autodoc directive (``.. autoclass:: claimtrack.Tracker``) or a hand-written one
# (``.. py:data:: claimtrack.__version__``), naming the object in full.
_DIRECTIVE = re.compile(r"^\s*\.\. (?:auto\w+|py:\w+):: (claimtrack(?:\.\w+)+)", re.MULTILINE)


def _documented() -> set[str]:
    return set(_DIRECTIVE.findall(API.read_text(encoding="utf-8")))


def _public_submodules() -> list[str]:
    """Every module of the package whose dotted name has no part starting with ``_``."""
    found = pkgutil.walk_packages(claimtrack.__path__, "claimtrack.")
    return sorted(
        info.name
        for info in found
        if not any(part.startswith("_") for part in info.name.split("."))
    )


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:  # an optional extra that is not installed
        pytest.skip(f"{name} needs an optional package: {exc}")


class TestApiReference:
    def test_every_top_level_name_is_documented(self) -> None:
        """Each name in claimtrack.__all__ has its own directive in docs/api.md."""
        expected = {f"claimtrack.{name}" for name in claimtrack.__all__ if name != "errors"}
        assert set() == expected - _documented()

    @pytest.mark.parametrize("module_name", _public_submodules())
    def test_every_submodule_name_is_documented(self, module_name: str) -> None:
        """Each name in a public submodule's __all__ has its own directive in docs/api.md."""
        module = _import(module_name)
        names = getattr(module, "__all__", None)
        assert names is not None, f"{module_name} has no __all__"
        expected = {f"{module_name}.{name}" for name in names}
        assert set() == expected - _documented()

    @pytest.mark.parametrize("module_name", _public_submodules())
    def test_every_public_submodule_has_a_section(self, module_name: str) -> None:
        """Each public submodule is introduced by an automodule directive."""
        text = API.read_text(encoding="utf-8")
        assert f".. automodule:: {module_name}\n" in text

    def test_documented_names_exist(self) -> None:
        """Every name the reference documents is a module or an object that exists."""
        missing = [dotted for dotted in sorted(_documented()) if not _exists(dotted)]
        assert missing == []


def _exists(dotted: str) -> bool:
    try:
        importlib.import_module(dotted)
    except ImportError:
        if _needs_extra(dotted):
            return True
        module_name, _, attr = dotted.rpartition(".")
        if _needs_extra(module_name):
            return True
        return hasattr(importlib.import_module(module_name), attr)
    return True


def _needs_extra(module_name: str) -> bool:
    """The module exists but needs an optional extra that is not installed.

    Its names are checked where the extra is installed (claimtrack.plot without
    matplotlib).
    """
    try:
        spec = importlib.util.find_spec(module_name)
    except ImportError:
        return False
    if spec is None:
        return False
    try:
        importlib.import_module(module_name)
    except ImportError:
        return True
    return False


DOCS = API.parent


class TestPictures:
    def test_pages_show_charts_and_a_scorecard_drawn_at_build_time(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """conf.py draws every picture the tutorial and the report how-to show."""
        pytest.importorskip("matplotlib")
        pytest.importorskip("jinja2")
        import runpy

        monkeypatch.chdir(tmp_path)
        conf = runpy.run_path(str(DOCS / "conf.py"))
        conf["_generate"](None, tmp_path / "generated")
        drawn = {p.name for p in (tmp_path / "generated").iterdir()}
        for page in ("tutorial.md", "howto/reports.md"):
            text = (DOCS / page).read_text(encoding="utf-8")
            shown = set(re.findall(r"_static/generated/([\w.-]+)", text))
            assert any(name.endswith(".svg") for name in shown), page
            assert "riyadh-scorecard.md" in shown, page
            assert set() == shown - drawn, page
        scorecard = (tmp_path / "generated" / "riyadh-scorecard.md").read_text(encoding="utf-8")
        assert "Judged as of 24 November 2025" in scorecard
        assert [] == [p for p in tmp_path.iterdir() if p.name != "generated"]

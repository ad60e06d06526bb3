"""Every example in a docstring runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import claimtrack


def _modules() -> list[str]:
    found = pkgutil.walk_packages(claimtrack.__path__, "claimtrack.")
    return sorted(["claimtrack", *(info.name for info in found)])


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    """The examples in the module's docstrings pass as doctests."""
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional extra that is not installed
        pytest.skip(f"{name} needs an optional package: {exc}")
    globs = {k: getattr(claimtrack, k) for k in claimtrack.__all__}
    globs["ct"] = claimtrack
    result = doctest.testmod(
        module, extraglobs=globs, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"

"""The public surface: __all__ lists are sorted and complete, and every name is documented."""

from __future__ import annotations
import __future__

import ast
import importlib
import inspect
import itertools
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import claimtrack

PUBLIC_SUBMODULES = [
    "claimtrack.errors",
    "claimtrack.interop",
    "claimtrack.interop.claimreview",
    "claimtrack.interop.tabular",
    "claimtrack.stores",
    "claimtrack.strategies",
]
ALL_MODULES = ["claimtrack", *PUBLIC_SUBMODULES]
# Documented by a string after the assignment: type aliases, and constant tables.
TYPE_ALIASES = {"DateInput", "DateOrder", "ImportSource", "OnError", "Record"}
CONSTANTS = {"CSV_FILES", "EXPORT_SCALE", "NUMERIC_SCALE", "RATINGS"}


def _eager_submodules() -> set[str]:
    """The public submodules a fresh ``import claimtrack`` makes attributes of the package."""
    code = (
        "import types, claimtrack\n"
        "print(' '.join(n for n, v in vars(claimtrack).items()"
        " if isinstance(v, types.ModuleType) and not n.startswith('_')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def defined_public(module: ModuleType) -> set[str]:
    """The public names a module defines (or, for the package, re-exports)."""
    names = set()
    # Aliases and constant tables have no __module__; they count where they are assigned.
    # (A package counts those of its private modules, which it re-exports.)
    source = Path(module.__file__ or "")
    files = source.parent.glob("_*.py") if source.name == "__init__.py" else [source]
    own_aliases = {n for f in files for n in _alias_docstrings(f)} & (TYPE_ALIASES | CONSTANTS)
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, __future__._Feature | ModuleType):
            continue
        if module is not claimtrack and name not in own_aliases:
            origin = getattr(value, "__module__", None)
            if not (isinstance(origin, str) and origin.startswith(module.__name__)):
                continue  # imported from elsewhere (typing.Any, hypothesis's st …)
        names.add(name)
    if module is claimtrack:
        names |= {"__version__"} | _eager_submodules()
    return names


@pytest.mark.parametrize("name", ALL_MODULES)
class TestAll:
    def test_sorted(self, name: str) -> None:
        """__all__ is sorted."""
        module = importlib.import_module(name)
        assert sorted(module.__all__) == list(module.__all__)

    def test_complete(self, name: str) -> None:
        """__all__ is exactly the public names defined: none missing, none extra."""
        module = importlib.import_module(name)
        assert defined_public(module) == set(module.__all__)

    def test_star_import(self, name: str) -> None:
        """``from module import *`` gives exactly __all__."""
        namespace: dict[str, Any] = {}
        exec(f"from {name} import *", namespace)
        del namespace["__builtins__"]
        assert set(importlib.import_module(name).__all__) == set(namespace)

    def test_every_name_documented(self, name: str) -> None:
        """Every public name has its own docstring saying when it was added."""
        module = importlib.import_module(name)
        undocumented = []
        for public in module.__all__:
            value = getattr(module, public)
            if public == "__version__" or public in TYPE_ALIASES | CONSTANTS:
                continue
            doc = inspect.getdoc(value) or ""
            if ".. versionadded::" not in doc:
                undocumented.append(public)
        assert [] == undocumented


def _alias_docstrings(path: Path) -> dict[str, str]:
    """Module-level ``Name: TypeAlias = ...`` followed by a string: name -> that string."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    found = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[node.target.id] = after.value.value
    return found


def test_type_aliases_documented() -> None:
    """The type aliases and constant tables have a docstring right after their assignment."""
    package = Path(claimtrack.__file__).parent
    docs: dict[str, str] = {}
    for source in package.rglob("*.py"):
        docs.update(_alias_docstrings(source))
    named = TYPE_ALIASES | CONSTANTS
    assert named == {name for name in named if docs.get(name)}


def test_version() -> None:
    """__version__ is the installed distribution's version."""
    from importlib.metadata import version

    assert version("claimtrack") == claimtrack.__version__


def test_public_submodules_documented() -> None:
    """Every public submodule has a module docstring."""
    assert [] == [
        name for name in ALL_MODULES if not (importlib.import_module(name).__doc__ or "").strip()
    ]

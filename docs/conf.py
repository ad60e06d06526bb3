"""Sphinx configuration for the claimtrack documentation.

Build the pages (every warning is an error, every cross-reference must resolve) and
run the examples they show::

    sphinx-build -n -W --keep-going -b html docs docs/_build/html
    sphinx-build -n -W -b doctest docs docs/_build/doctest

Links to the Python, attrs, dateutil and Hypothesis documentation need their
inventories from the network; set ``CLAIMTRACK_DOCS_INTERSPHINX=1`` to fetch them.
They are off by default because the build must pass offline, and with ``-W`` a failed
fetch is an error.
"""

from __future__ import annotations

import os
import runpy
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

# -- project ----------------------------------------------------------------------------

project = "claimtrack"
author = "The claimtrack developers"
copyright = "2025, The claimtrack developers"
release = _version("claimtrack")
version = ".".join(release.split(".")[:2])

# -- extensions -------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
# _static/generated/ holds what the build draws (see "generated pictures" below); its
# Markdown scorecard is included into pages, not a page of its own.
exclude_patterns = ["_build", "_static"]

# Every cross-reference must resolve (the build runs with -n -W).
nitpicky = True

# Names documented by other projects.  With CLAIMTRACK_DOCS_INTERSPHINX=1 they link to
# those docs; offline there is no inventory to resolve them against.  Listing them
# here only silences the warning when they cannot be resolved: it never stops a link.
# claimtrack's own names are not listed; each of them must resolve.
nitpick_ignore = [
    ("py:class", "collections.abc.Callable"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "os.PathLike"),
    ("py:class", "pathlib.Path"),
    ("py:class", "matplotlib.figure.Figure"),
    ("py:class", "Figure"),
    ("py:mod", "matplotlib.pyplot"),
    ("py:func", "json.dumps"),
    ("py:func", "json.loads"),
    ("py:class", "cattrs.Converter"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "datetime.date"),
    ("py:class", "datetime.datetime"),
    ("py:class", "dateutil.relativedelta.relativedelta"),
    ("py:func", "dateutil.parser.parse"),
    ("py:class", "typing.IO"),
    ("py:class", "hypothesis.strategies.SearchStrategy"),
    ("py:func", "hypothesis.strategies.builds"),
    ("py:func", "hypothesis.strategies.from_type"),
    # Tracker.add returns the type of record it is given: a TypeVar bound to Record,
    # private to claimtrack._tracker, which has no page of its own.
    ("py:class", "claimtrack._tracker._R"),
]

# -- MyST -------------------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and napoleon ---------------------------------------------------------------

autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "signature"
autoclass_content = "class"

napoleon_google_docstring = True
napoleon_numpy_docstring = False
# Attributes listed in a class docstring become ``:ivar:`` fields, so they do not
# duplicate the attributes autodoc documents from the class body.
napoleon_use_ivar = True


# -- doctest ----------------------------------------------------------------------------

# The pages' examples run in a fresh namespace with claimtrack imported as ``ct``.
doctest_global_setup = "import claimtrack as ct"
# Docstring examples (``>>>`` in the API reference) are already run by
# tests/test_docstrings.py, with the names each module expects; run only the pages'
# own {doctest} and {testcode} blocks here.
doctest_test_doctest_blocks = ""

# -- intersphinx (opt-in: it needs the network) ----------------------------------------

intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
if os.environ.get("CLAIMTRACK_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "attrs": ("https://www.attrs.org/en/stable/", None),
        "dateutil": ("https://dateutil.readthedocs.io/en/stable/", None),
        "hypothesis": ("https://hypothesis.readthedocs.io/en/latest/", None),
    }

# -- HTML -------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"claimtrack {release}"


# -- generated pictures -----------------------------------------------------------------

# The tutorial and the report how-to show charts and a scorecard of the running example.
# They are drawn at every build, from examples/riyadh_talks.py, into _static/generated/
# (ignored by git), so the pictures always match the code that makes them.
_DOCS = Path(__file__).resolve().parent
GENERATED = _DOCS / "_static" / "generated"


def _generate(app: Any, folder: Path = GENERATED) -> None:
    import claimtrack as ct
    from claimtrack import report

    folder.mkdir(parents=True, exist_ok=True)
    example = runpy.run_path(str(_DOCS.parent / "examples" / "riyadh_talks.py"))
    tracker = ct.Tracker(clock=lambda: example["TODAY"])
    example["build"](tracker)
    title = "The Riyadh talks, 18 February 2025: a scorecard"
    report.write(tracker, folder / "riyadh-scorecard.md", title=title)
    report.write(tracker, folder / "riyadh-scorecard.html", title=title)
    report.write_chart(tracker, folder / "riyadh-track-records.svg", "track-records")
    for claim in ("trump-ukraine-involved", "russia-no-withdrawal"):
        report.write_chart(tracker, folder / f"riyadh-{claim}.svg", "probability", claim=claim)
    # A calibration chart needs stated confidences, which the Riyadh speakers never
    # gave: the pundits of examples/pundit_forecasts.py did.
    pundits = runpy.run_path(str(_DOCS.parent / "examples" / "pundit_forecasts.py"))
    scored = ct.Tracker(clock=lambda: pundits["TODAY"])
    pundits["build"](scored)
    report.write_chart(scored, folder / "pundits-calibration.svg", "calibration")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True}

"""The README's example runs, and its two set-up commands are the ones CI relies on."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


class TestReadme:
    def test_python_example_runs(self) -> None:
        """The README's Python example runs and prints what its comments promise."""
        (code,) = _blocks("python")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {})
        lines = out.getvalue().splitlines()
        assert lines[0] == "0.2"
        assert "moving the probability from 20 % to 80 %" in lines[1]
        assert "(Donald Trump, 18 February 2025)" in lines[1]
        assert lines[2].startswith("1 claim, none resolved yet.")

    def test_set_up_commands(self) -> None:
        """The set-up commands follow their markers: run the example, the tests, the docs."""
        text = README.read_text(encoding="utf-8")
        example = re.search(r"<!-- example-command -->\n```sh\n(.*?)\n```", text, re.DOTALL)
        tests = re.search(r"<!-- test-command -->\n```sh\n(.*?)\n```", text, re.DOTALL)
        assert example is not None
        assert tests is not None
        assert example.group(1) == "python -m pip install -e . && python examples/riyadh_talks.py"
        assert tests.group(1) == "python -m pip install -e '.[test]' && python -m pytest"

    def test_docs_command_is_the_one_ci_runs(self) -> None:
        """.ci/run reads the docs command from its marker, as it does the test command."""
        text = README.read_text(encoding="utf-8")
        docs = re.search(r"<!-- docs-command -->\n```sh\n(.*?)\n```", text, re.DOTALL)
        assert docs is not None
        assert docs.group(1) == (
            "python -m pip install -e '.[docs]' && "
            "sphinx-build -n -W -b html docs docs/_build/html\n"
            "sphinx-build -n -W -b doctest docs docs/_build/doctest"
        )
        ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
        assert "/<!-- docs-command -->/" in ci
        assert 'bash -euo pipefail -c "$docs_command"' in ci

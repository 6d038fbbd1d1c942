"""Small helpers shared by the test modules."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) to ``folder/name`` and return the file's path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def add_line_after(path: Path, line: str, new: str) -> None:
    """Put the line ``new`` under the first line ``line`` of the file (both without their
    newline), failing loudly when ``line`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert f"{line}\n" in text, f"{path.name} has no line {line!r}"
    path.write_text(text.replace(f"{line}\n", f"{line}\n{new}\n", 1), encoding="utf-8")


def run_faqbot(*argv: str) -> tuple[int, str, str]:
    """Run the ``faqbot`` command line in-process: exit code, standard output and error."""
    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()

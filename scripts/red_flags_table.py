"""Print the README's warning-sign table from faq/data/red_flags.yaml, or write it in place.

Usage: python scripts/red_flags_table.py [--write]

The README shows every warning sign with its level and source between the markers
``<!-- red-flags:start -->`` and ``<!-- red-flags:end -->``; a test checks that the two agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from faq import Engine

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- red-flags:start -->", "<!-- red-flags:end -->"


def table() -> str:
    """The warning signs as a Markdown table, the most urgent first."""
    rows = ["| sign | level | source | flag id |", "|---|---|---|---|"]
    for flag in sorted(Engine.load().content.red_flags, key=lambda flag: -flag.level):
        rows.append(f"| {flag.sign} | {flag.level.name.lower()} | {flag.source} | `{flag.id}` |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    if "--write" not in argv:
        print(table())
        return 0
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{table()}\n{END}{after}", encoding="utf-8")
    print(f"{README.name}: warning-sign table written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Report matching accuracy and warning-sign detection on labelled messages.

Usage:
    python benchmarks/eval_matching.py [CASES.yaml | SPLIT_FOLDER ...] [--faq PATH]
                                       [--by writer|kind] [--errors] [--json]

Default: the development split, ``tests/data/corpus/dev``. A folder means every case file in it
(one file per writer). ``--by`` adds one row per writer or per kind, so a voice or a kind of
message that fails stands out. ``--errors`` lists every miss; never use it on the sealed split
(``tests/data/corpus/sealed``), whose messages nobody reads until the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from faq import Engine
from faq.evaluation import Case, Report, evaluate, load_cases, load_split

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests/data/corpus/dev"
COLUMNS = (
    ("messages", "msgs"),
    ("top1_accuracy", "top-1"),
    ("no_match_rate", "no-answer"),
    ("general_symptom_rate", "gen-sympt"),
    ("urgent_recall", "flagged"),
    ("emergency_recall", "emerg"),
    ("crisis_recall", "crisis"),
    ("false_alarm_rate", "false-al"),
    ("disclaimer_rate", "discl"),
)


def _cases(target: str) -> list[Case]:
    path = Path(target)
    return load_split(path) if path.is_dir() else load_cases(path)


def _row(name: str, summary: dict[str, float | int | None]) -> str:
    cells = []
    for key, _ in COLUMNS:
        value = summary[key]
        if value is None:
            cells.append("-")
        elif key == "messages":
            cells.append(str(value))
        else:
            cells.append(f"{100 * value:.1f}%")
    return f"{name:<22}" + "".join(f"{cell:>10}" for cell in cells)


def table(report: Report, by: str | None) -> str:
    """The report as a text table: all messages, then one row per writer or kind."""
    lines = [f"{'':<22}" + "".join(f"{title:>10}" for _, title in COLUMNS)]
    lines.append(_row("all", report.summary()))
    if by:
        for name, part in report.split(lambda case: getattr(case, by)).items():
            lines.append(_row(f"  {by}={name}", part.summary()))
    return "\n".join(lines)


def errors(report: Report) -> str:
    """Every miss: a wrong or missing match, or a level other than the labelled one."""
    lines = []
    for o in report.outcomes:
        c = o.case
        match_bad = o.match_ok is False
        if match_bad or not o.level_ok:
            tag = ("MATCH " if match_bad else "") + ("LEVEL" if not o.level_ok else "")
            wanted = c.level.name if c.level is not None else "-"
            lines.append(
                f"{tag:12} [{c.writer}/{c.kind}] {c.text!r}\n{'':12} want={c.expected} "
                f"got={o.got} ({o.score}) level want={wanted} got={o.level.name}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=[str(DEFAULT)])
    parser.add_argument("--faq", default=None, help="FAQ folder or file (default: packaged)")
    parser.add_argument("--by", choices=("writer", "kind"), help="one row per writer or kind")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    engine = Engine.load(args.faq)
    for target in args.targets:
        report = evaluate(engine, _cases(target))
        print(f"== {target}")
        if args.json:
            print(json.dumps(report.summary(), indent=2))
        else:
            print(table(report, args.by))
        if args.errors:
            print(errors(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

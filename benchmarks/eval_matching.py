"""Report matching accuracy and urgency detection on a labelled case file.

Usage: python benchmarks/eval_matching.py [CASES.yaml ...] [--faq PATH] [--errors]
Default cases: tests/data/dev_set.yaml. Prints the summary and, with --errors, each miss.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from faq import Engine
from faq.evaluation import IN_SCOPE_KINDS, OUT_OF_SCOPE_KINDS, evaluate, load_cases

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=[str(ROOT / "tests/data/dev_set.yaml")])
    parser.add_argument("--faq", default=None, help="FAQ folder or file (default: packaged)")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    engine = Engine.load(args.faq)
    for path in args.cases:
        report = evaluate(engine, load_cases(path))
        print(f"== {path}")
        print(json.dumps(report.summary(), indent=2))
        if args.errors:
            for o in report.outcomes:
                c = o.case
                if c.kind in IN_SCOPE_KINDS:
                    match_bad = o.got != c.expected
                else:
                    match_bad = c.kind in OUT_OF_SCOPE_KINDS and o.got is not None
                urgent_bad = o.urgent != c.urgent or (c.emergency and not o.emergency)
                if match_bad or urgent_bad:
                    tag = ("MATCH " if match_bad else "") + ("URGENT" if urgent_bad else "")
                    print(f"{tag:12} [{c.kind}] {c.text!r}\n{'':12} want={c.expected} got={o.got} "
                          f"({o.score}) urgent want={c.urgent} got={o.urgent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

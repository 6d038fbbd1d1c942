"""Measuring matching and urgency on a labelled set of messages.

A case file is a YAML list of ``{text, expected, kind, urgent, emergency}``: ``expected`` is the
entry id that should answer the message, or null when no entry should. Used by the tests (with
thresholds) and by ``benchmarks/eval_matching.py`` (a readable report).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.engine import Engine

IN_SCOPE_KINDS = ("in_scope", "negated", "general_symptom")
OUT_OF_SCOPE_KINDS = ("out_of_scope", "near_miss")


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled message."""

    text: str
    expected: str | None
    kind: str
    urgent: bool = False
    emergency: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine did with one case."""

    case: Case
    got: str | None
    score: float
    urgent: bool
    emergency: bool
    has_disclaimer: bool


@dataclass
class Report:
    """Counts and rates over a case set."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, hits: int, total: int) -> float:
        return hits / total if total else 1.0

    @property
    def in_scope(self) -> list[Outcome]:
        """Cases one entry should answer, urgent reports excluded."""
        return [o for o in self.outcomes if o.case.kind in IN_SCOPE_KINDS and o.case.expected]

    @property
    def out_of_scope(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.kind in OUT_OF_SCOPE_KINDS]

    @property
    def top1_accuracy(self) -> float:
        """Share of in-scope messages answered with the expected entry."""
        cases = self.in_scope
        return self._rate(sum(o.got == o.case.expected for o in cases), len(cases))

    @property
    def wrong_answers(self) -> list[Outcome]:
        """Messages answered with an entry other than the expected one (worse than none)."""
        return [o for o in self.outcomes if o.got is not None and o.got != o.case.expected]

    @property
    def no_match_rate(self) -> float:
        """Share of out-of-scope and near-miss messages that got no match."""
        cases = self.out_of_scope
        return self._rate(sum(o.got is None for o in cases), len(cases))

    @property
    def urgent_recall(self) -> float:
        cases = [o for o in self.outcomes if o.case.urgent]
        return self._rate(sum(o.urgent for o in cases), len(cases))

    @property
    def emergency_recall(self) -> float:
        cases = [o for o in self.outcomes if o.case.emergency]
        return self._rate(sum(o.emergency for o in cases), len(cases))

    @property
    def false_alarm_rate(self) -> float:
        """Share of messages that report nothing but were treated as urgent."""
        cases = [o for o in self.outcomes if not o.case.urgent]
        return 1 - self._rate(sum(not o.urgent for o in cases), len(cases))

    @property
    def disclaimer_rate(self) -> float:
        return self._rate(sum(o.has_disclaimer for o in self.outcomes), len(self.outcomes))

    def summary(self) -> dict[str, float | int]:
        kinds = Counter(o.case.kind for o in self.outcomes)
        return {
            "messages": len(self.outcomes),
            **{f"kind_{kind}": count for kind, count in sorted(kinds.items())},
            "top1_accuracy": round(self.top1_accuracy, 4),
            "no_match_rate": round(self.no_match_rate, 4),
            "wrong_answers": len(self.wrong_answers),
            "urgent_recall": round(self.urgent_recall, 4),
            "emergency_recall": round(self.emergency_recall, 4),
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "disclaimer_rate": round(self.disclaimer_rate, 4),
        }


def load_cases(path: str | Path) -> list[Case]:
    """Read a case file (``yaml.safe_load``)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [
        Case(
            text=str(item["text"]),
            expected=item.get("expected"),
            kind=str(item.get("kind", "in_scope")),
            urgent=bool(item.get("urgent", False)),
            emergency=bool(item.get("emergency", False)),
        )
        for item in data
    ]


def evaluate(engine: Engine, cases: Iterable[Case]) -> Report:
    """Answer every case and collect the outcomes."""
    report = Report()
    disclaimer = engine.content.texts.disclaimer
    provider = engine.content.texts.provider_prompt
    for case in cases:
        result = engine.answer(case.text)
        report.outcomes.append(
            Outcome(
                case=case,
                got=result.match.id if result.match else None,
                score=result.match.score if result.match else 0.0,
                urgent=result.urgent,
                emergency=result.level >= 2,
                has_disclaimer=disclaimer in result.reply and provider in result.reply,
            )
        )
    return report

"""Measuring matching and urgency on labelled sets of messages.

A case file is a YAML list of ``{text, expected, kind, level}``: ``expected`` is the entry id
that should answer the message, or null when no entry should; ``level`` is the warning level the
message reports (``none``, ``urgent``, ``emergency`` or ``crisis``). Older files give
``urgent``/``emergency`` booleans instead of ``level``; both are read; a file with neither
(a phrasing-bank writer's) labels no level, and its cases are not used for warning signs. The
writer of a case is
the file's name (``tests/data/corpus/dev/terse.yaml`` -> ``terse``), so reports can be split
by voice. Used by the tests (with thresholds) and by ``benchmarks/eval_matching.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.engine import Engine
from faq.model import Level

#: Kinds whose message one entry answers: top-1 accuracy is measured on them.
IN_SCOPE_KINDS = ("in_scope", "negated")
#: Kinds that no entry answers: the share given no answer is measured on them.
OUT_OF_SCOPE_KINDS = ("out_of_scope", "near_miss")
#: A general question about signs: it should get the symptoms answer and no alarm.
GENERAL_SYMPTOM_KIND = "general_symptom"


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled message."""

    text: str
    expected: str | None
    kind: str
    level: Level | None = Level.NONE  # None: the writer did not label the level
    writer: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine did with one case."""

    case: Case
    got: str | None
    score: float
    level: Level
    has_disclaimer: bool

    @property
    def match_ok(self) -> bool | None:
        """Whether the match was right, or None where the kind does not judge matching."""
        kind = self.case.kind
        if kind in IN_SCOPE_KINDS or kind == GENERAL_SYMPTOM_KIND:
            return self.got == self.case.expected
        if kind in OUT_OF_SCOPE_KINDS:
            return self.got is None
        return None

    @property
    def level_ok(self) -> bool:
        """A report is flagged at its level or above; a message that reports nothing is not
        (a case without a labelled level is not judged)."""
        want = self.case.level
        if want is None:
            return True
        if want is Level.NONE:
            return self.level is Level.NONE
        if want is Level.CRISIS:
            return self.level is Level.CRISIS
        return self.level >= want


def _rate(outcomes: list[Outcome], ok: Callable[[Outcome], bool]) -> float | None:
    return sum(map(ok, outcomes)) / len(outcomes) if outcomes else None


@dataclass
class Report:
    """Counts and rates over a case set."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _of(self, test: Callable[[Outcome], bool]) -> list[Outcome]:
        return [o for o in self.outcomes if test(o)]

    @property
    def in_scope(self) -> list[Outcome]:
        """Cases one entry should answer."""
        return self._of(lambda o: o.case.kind in IN_SCOPE_KINDS and o.case.expected is not None)

    @property
    def out_of_scope(self) -> list[Outcome]:
        return self._of(lambda o: o.case.kind in OUT_OF_SCOPE_KINDS)

    @property
    def top1_accuracy(self) -> float | None:
        """Share of in-scope messages answered with the expected entry."""
        return _rate(self.in_scope, lambda o: o.got == o.case.expected)

    @property
    def wrong_answers(self) -> list[Outcome]:
        """Messages answered with an entry other than the expected one (worse than none)."""
        return self._of(lambda o: o.got is not None and o.got != o.case.expected)

    @property
    def no_match_rate(self) -> float | None:
        """Share of out-of-scope and near-miss messages that got no match."""
        return _rate(self.out_of_scope, lambda o: o.got is None)

    @property
    def general_symptom_rate(self) -> float | None:
        """Share of general questions about signs answered with the symptoms entry, no alarm."""
        cases = self._of(lambda o: o.case.kind == GENERAL_SYMPTOM_KIND)
        return _rate(cases, lambda o: o.got == o.case.expected and o.level is Level.NONE)

    def recall(self, level: Level) -> float | None:
        """Share of messages reporting ``level`` that were flagged at that level (or above)."""
        return _rate(self._of(lambda o: o.case.level is level), lambda o: o.level_ok)

    @property
    def urgent_recall(self) -> float | None:
        """Share of reports (any level) that got a warning at all."""
        reports = self._of(lambda o: o.case.level not in (Level.NONE, None))
        return _rate(reports, lambda o: o.level is not Level.NONE)

    @property
    def false_alarm_rate(self) -> float | None:
        """Share of messages that report nothing but got a warning."""
        quiet = self._of(lambda o: o.case.level is Level.NONE)
        return _rate(quiet, lambda o: o.level is not Level.NONE)

    @property
    def disclaimer_rate(self) -> float | None:
        return _rate(self.outcomes, lambda o: o.has_disclaimer)

    def summary(self) -> dict[str, float | int | None]:
        """The headline figures (rates are None where a set has no case of that kind)."""

        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "messages": len(self.outcomes),
            "top1_accuracy": rounded(self.top1_accuracy),
            "no_match_rate": rounded(self.no_match_rate),
            "general_symptom_rate": rounded(self.general_symptom_rate),
            "wrong_answers": len(self.wrong_answers),
            "urgent_recall": rounded(self.urgent_recall),
            "urgent_level_recall": rounded(self.recall(Level.URGENT)),
            "emergency_recall": rounded(self.recall(Level.EMERGENCY)),
            "crisis_recall": rounded(self.recall(Level.CRISIS)),
            "false_alarm_rate": rounded(self.false_alarm_rate),
            "disclaimer_rate": rounded(self.disclaimer_rate),
        }

    def split(self, key: Callable[[Case], str]) -> dict[str, Report]:
        """One report per value of ``key`` (for example per writer or per kind)."""
        parts: dict[str, Report] = defaultdict(Report)
        for outcome in self.outcomes:
            parts[key(outcome.case)].outcomes.append(outcome)
        return dict(sorted(parts.items()))


def _level(item: dict[str, object]) -> Level | None:
    if "level" in item:
        return Level[str(item["level"]).upper()]
    if "urgent" not in item and "emergency" not in item:
        return None  # a phrasing-bank writer labels topics only
    if item.get("emergency"):
        return Level.EMERGENCY
    return Level.URGENT if item.get("urgent") else Level.NONE


def load_cases(path: str | Path) -> list[Case]:
    """Read a case file (``yaml.safe_load``); the writer is the file's name."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Case(
            text=str(item["text"]),
            expected=item.get("expected"),
            kind=str(item.get("kind", "in_scope")),
            level=_level(item),
            writer=path.stem,
        )
        for item in data
    ]


def load_split(folder: str | Path) -> list[Case]:
    """Every case file of a corpus split folder, in file-name order."""
    return [case for path in sorted(Path(folder).glob("*.yaml")) for case in load_cases(path)]


def evaluate(engine: Engine, cases: Iterable[Case]) -> Report:
    """Answer every case and collect the outcomes."""
    report = Report()
    texts = engine.content.texts
    for case in cases:
        result = engine.answer(case.text)
        report.outcomes.append(
            Outcome(
                case=case,
                got=result.match.id if result.match else None,
                score=result.match.score if result.match else 0.0,
                level=result.level,
                has_disclaimer=texts.disclaimer in result.reply
                and texts.provider_prompt in result.reply,
            )
        )
    return report

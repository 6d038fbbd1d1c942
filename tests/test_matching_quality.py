"""Matching quality, measured on labelled sets of realistic user messages.

``dev_set.yaml`` is the development set the matcher was tuned on. ``test_set.yaml`` (same
writer) and ``holdout2.yaml`` (a second writer, other styles: British spelling, run-on voice
messages, long stories) were written from the article alone, never seeing the FAQ; they are
checked rather than tuned on, although their misses were looked at to find missing general
mechanisms. ``holdout3.yaml`` (a third writer) was never looked at. Thresholds on the
held-out sets are floors that catch regressions.
"""

from __future__ import annotations

import pytest

from faq import Engine
from faq.evaluation import Case, Outcome, Report, evaluate, load_cases
from faq.text import words
from tests.conftest import DATA

DEV = DATA / "dev_set.yaml"
TEST = DATA / "test_set.yaml"
HOLDOUT2 = DATA / "holdout2.yaml"
HOLDOUT3 = DATA / "holdout3.yaml"  # never read during tuning: the honest measure


@pytest.fixture(scope="module")
def dev_cases() -> list[Case]:
    return load_cases(DEV)


@pytest.fixture(scope="module")
def dev_report(engine: Engine, dev_cases: list[Case]) -> Report:
    return evaluate(engine, dev_cases)




def _misses(outcomes: list[Outcome]) -> str:
    return "\n".join(f"{o.case.text!r}: expected {o.case.expected}, got {o.got}" for o in outcomes)


def test_dev_set_is_large_and_varied(dev_cases: list[Case]) -> None:
    kinds = {case.kind for case in dev_cases}
    assert len(dev_cases) >= 200
    assert kinds == {
        "in_scope",
        "out_of_scope",
        "near_miss",
        "urgent",
        "negated",
        "general_symptom",
    }


def test_every_topic_is_in_the_dev_set(engine: Engine, dev_cases: list[Case]) -> None:
    expected = {case.expected for case in dev_cases if case.expected}
    assert expected == {entry.id for entry in engine.topics}


def test_no_labelled_message_is_copied_from_the_faq(engine: Engine) -> None:
    faq_phrasings = {
        " ".join(words(text))
        for entry in engine.topics
        for text in (*entry.phrasings, *entry.keywords)
    }
    copied = [
        case.text
        for path in (DEV, TEST, HOLDOUT2, HOLDOUT3)
        for case in load_cases(path)
        if " ".join(words(case.text)) in faq_phrasings
    ]
    assert copied == []


def test_dev_top1_accuracy_in_scope_is_at_least_92_percent(dev_report: Report) -> None:
    misses = [o for o in dev_report.in_scope if o.got != o.case.expected]
    assert (dev_report.top1_accuracy or 0) >= 0.92, _misses(misses)


def test_dev_out_of_scope_messages_get_no_match_90_percent(dev_report: Report) -> None:
    wrong = [o for o in dev_report.out_of_scope if o.got is not None]
    assert (dev_report.no_match_rate or 0) >= 0.90, _misses(wrong)


def test_dev_reports_are_all_flagged_at_their_level(dev_report: Report) -> None:
    missed = [o.case.text for o in dev_report.outcomes if o.case.level and not o.level_ok]
    assert missed == []


def test_dev_false_alarms_at_most_3_percent(dev_report: Report) -> None:
    alarms = [o.case.text for o in dev_report.outcomes if o.level and not o.case.level]
    assert (dev_report.false_alarm_rate or 0) <= 0.03, alarms


def test_every_reply_carries_disclaimer_and_provider_prompt(dev_report: Report) -> None:
    assert dev_report.disclaimer_rate == 1.0


@pytest.mark.parametrize(
    "path", [TEST, HOLDOUT2, HOLDOUT3], ids=["test_set", "holdout2", "holdout3"]
)
def test_held_out_set_floors(engine: Engine, path: object) -> None:
    summary = evaluate(engine, load_cases(path)).summary()  # type: ignore[arg-type]
    assert (summary["top1_accuracy"] or 0) >= 0.90, summary
    assert (summary["no_match_rate"] or 0) >= 0.90, summary
    assert summary["urgent_recall"] == 1.0, summary
    assert summary["urgent_level_recall"] == 1.0, summary
    assert summary["emergency_recall"] == 1.0, summary
    assert summary["false_alarm_rate"] <= 0.03, summary
    assert summary["disclaimer_rate"] == 1.0, summary

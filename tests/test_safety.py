"""Urgency detection, parametrized from YAML case files (statement -> expected level)."""

from __future__ import annotations

import pytest
import yaml

from faq import Engine, Level, SectionKind
from faq.evaluation import load_cases
from tests.conftest import DATA

URGENCY_CASES = yaml.safe_load((DATA / "urgency_cases.yaml").read_text(encoding="utf-8"))
LEVELS = {"none": Level.NONE, "urgent": Level.URGENT, "emergency": Level.EMERGENCY}
REPORTS = [c for c in load_cases(DATA / "dev_set.yaml") if c.urgent]


@pytest.mark.parametrize(
    "case", URGENCY_CASES, ids=[case["statement"][:40] for case in URGENCY_CASES]
)
def test_urgency_level(engine: Engine, case: dict[str, str]) -> None:
    result = engine.urgency.detect(case["statement"])
    assert result.level == LEVELS[case["expected"]], result


@pytest.mark.parametrize("case", REPORTS, ids=[case.text[:40] for case in REPORTS])
def test_reported_symptom_puts_provider_prompt_first(engine: Engine, case: object) -> None:
    answer = engine.answer(case.text)  # type: ignore[attr-defined]
    first = answer.sections[0]
    texts = engine.content.texts
    if case.emergency:  # type: ignore[attr-defined]
        assert (first.kind, first.text) == (SectionKind.EMERGENCY, texts.emergency_prompt)
    else:
        assert first.kind in (SectionKind.URGENT, SectionKind.EMERGENCY)


def test_urgency_does_not_depend_on_matching(engine: Engine) -> None:
    matched = engine.answer("im spotting, what is a cerclage?")
    unmatched = engine.answer("im spotting and my car broke down")
    assert matched.match is not None
    assert unmatched.match is None
    assert matched.level == unmatched.level == Level.URGENT


def test_typo_in_symptom_is_still_urgent(engine: Engine) -> None:
    assert engine.urgency.detect("i think im bleding").flags == ("bleeding",)


def test_negation_covers_a_list_of_symptoms(engine: Engine) -> None:
    assert engine.urgency.detect("no bleeding, cramps or discharge at all").level == Level.NONE


def test_a_later_reported_symptom_still_counts_after_a_denied_one(engine: Engine) -> None:
    result = engine.urgency.detect("no bleeding. but I have bad cramps since this morning")
    assert result.flags == ("cramping",)


def test_general_question_with_first_person_is_a_report(engine: Engine) -> None:
    assert engine.urgency.detect("why am I spotting?").level == Level.URGENT


def test_emergency_wins_over_urgent(engine: Engine) -> None:
    result = engine.urgency.detect("spotting yesterday and now my water broke")
    assert result.level == Level.EMERGENCY
    assert set(result.flags) == {"bleeding", "waters-breaking"}

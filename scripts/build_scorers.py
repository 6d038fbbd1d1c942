"""Build ``faq/data/scorers.json``, the learnt warning-sign scorers, from the labelled corpus.

Usage: python scripts/build_scorers.py [--folds 6] [--max-false 0.0035] [--max-false-crisis 0.0025]
       [--max-over 0.02] [--check]
       [--corpus tests/data/corpus] [--output faq/data/scorers.json]

Three scorers (``faq.scorer``) learn from the splits that are read and tuned on (``bank`` and
``dev``), each against every other labelled message, the same words said harmlessly included:

- ``crisis``: messages labelled crisis (thoughts of harming oneself or the baby);
- ``emergency``: reports of an emergency sign (crisis messages left out);
- ``urgent``: reports of any current sign, urgent or emergency (crisis messages left out).

They never see the ``check`` or ``sealed`` splits, which measure them.

Each threshold is chosen by cross-validation **by writer**: each writer's messages are scored
by a model that never saw that writer, as a new voice would be. The threshold is the lowest
that keeps the held-out quiet messages (level none) raised by that scorer, and the held-out
reports of a lower level raised to its level, at or under ``--max-false`` (the crisis scorer:
``--max-false-crisis``) and ``--max-over``
(a bleeding reported raised to an emergency: an error, a cautious one); the recall
it gives on held-out messages of its level is written in the file. The crisis scorer also
gets a gentle band under its threshold, down to where at most
1% of held-out quiet messages fall: there the reply keeps its answer and adds a word on low
mood with the helpline (``mood_note`` in texts.yaml). The any-sign scorer also gets a
``calm`` probability: one step of ``CALM_GRID`` under the highest at which no held-out report
raised by the phrases, and placed in no time ("today", "23w"), would have been calmed; under
it the phrases' urgent or emergency alarm becomes a line above the answer (``sign_note``).
``calm_now`` is chosen the same way on the messages placed now, and is at most ``calm``.

A fourth scorer, of level none, learns the phrases' false alarms: among the messages whose
phrases raise an urgent or emergency alarm (the crisis scorer held out sure there is no
crisis), those that tell of no sign ("we had a woman whose waters went in the ambulance").
It calms such an alarm when its probability is at or above its threshold and the any-sign
scorer's is under its ``sign_under``: the pair of ``FALSE_ALARM_GRID`` and ``SIGN_UNDER_GRID``
that calms the most held-out false alarms while it calms no held-out emergency or crisis, and
at most ``--max-calm-lost`` of the held-out urgent reports, at that pair and at the grid step
under it (a step of margin). A report calmed still gets ``sign_note`` above the answer.

Neither calming may silence a hand-written emergency of ``tests/data/urgency_cases.yaml`` or
a red flag's ``must_match`` message (the guards): ``calm`` and ``calm_now`` come down to the
grid step under which none is calmed, and the false-alarm pair must calm none either.
``--check`` builds the scorers and compares them with the file instead of writing it (exit 1
when they differ).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from faq import Engine, Level
from faq.evaluation import Case, load_split
from faq.safety import CALM_UNDER_CRISIS, UrgencyDetector
from faq.scorer import (
    PACKAGED_SCORERS,
    Scorer,
    ScorerError,
    content_digest,
    load_scorers,
    save_scorers,
    train,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/data/corpus"
# Hand-written reports that no calming may silence (see _guards).
GUARDS = ROOT / "tests/data/urgency_cases.yaml"
TRAINING = ("bank", "dev")
# 0.30 ... 0.80 by 0.05, then finer: near the top a step of 0.05 moved the any-sign scorer's
# threshold from 0.90 to 0.95 and cost 6 points of held-out recall for a budget of 0.25%.
THRESHOLDS = (
    *(round(0.05 * i, 2) for i in range(6, 17)),
    0.82, 0.84, 0.85, 0.86, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97,
)
NOTE_MAX_QUIET = 0.01  # held-out quiet messages that may get the crisis scorer's gentle note
# Where the any-sign scorer may calm the phrases' alarm: the grid step under the highest
# probability at which no held-out report would have been calmed (a step of margin).
CALM_GRID = (0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1)
# The false-alarm scorer's threshold, and the any-sign probability it must be under.
FALSE_ALARM_GRID = (0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
SIGN_UNDER_GRID = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3)
# Chosen by the same cross-validation: a feature must be used by 3 writers or more, and the
# L2 of 0.006 kept more held-out crises at the same false crises than 0.003 or 0.01. The
# average of 5 runs in different orders kept about one point more held-out messages of each
# level than one run, at the same share of quiet messages raised (crises 82.3 -> 83.0%,
# emergencies 90.1 -> 91.2%, any sign 88.2 -> 89.2% at 0.25%).
SETTINGS: dict[str, Any] = {
    "l2": 6e-3, "epochs": 15, "rate": 0.3, "min_count": 2, "min_writers": 3, "keep": 0.03,
    "seeds": 5,
}


@dataclass(frozen=True)
class Calming:
    """What the any-sign scorer's calming is chosen on, one item per message: the phrases'
    level, whether the message places a sign now, and whether the crisis scorer (held out)
    keeps it from being calmed (``CALM_UNDER_CRISIS`` or more)."""

    levels: list[Level]
    now: list[bool]
    near_crisis: list[bool]

    def calmable(self, index: int, *, now: bool = False) -> bool:
        """Whether the message could be calmed: an urgent or emergency alarm of the phrases,
        the crisis scorer sure, and placed now or not as ``now`` says."""
        level = self.levels[index]
        return Level.NONE < level < Level.CRISIS and self.now[index] is now and (
            not self.near_crisis[index]
        )


def _crisis(case: Case) -> bool | None:
    return case.level is Level.CRISIS


def _emergency(case: Case) -> bool | None:
    return None if case.level is Level.CRISIS else case.level is Level.EMERGENCY


def _any_sign(case: Case) -> bool | None:
    return None if case.level is Level.CRISIS else case.level in (Level.URGENT, Level.EMERGENCY)


#: Each scorer's level and what it learns: True, False, or None (left out).
TARGETS: tuple[tuple[Level, Callable[[Case], bool | None]], ...] = (
    (Level.CRISIS, _crisis),
    (Level.EMERGENCY, _emergency),
    (Level.URGENT, _any_sign),
)


def _folds(cases: list[Case], count: int) -> dict[str, int]:
    """Writers dealt to folds, those with the most crises first, then the most reports, so
    that each fold holds some of each."""
    crises: defaultdict[str, int] = defaultdict(int)
    reports: defaultdict[str, int] = defaultdict(int)
    for case in cases:
        crises[case.writer] += case.level is Level.CRISIS
        reports[case.writer] += case.level in (Level.URGENT, Level.EMERGENCY)
    ranked = sorted(crises, key=lambda writer: (-crises[writer], -reports[writer], writer))
    return {writer: i % count for i, writer in enumerate(ranked)}


def _held_out(
    level: Level,
    rows: list[tuple[int, bool]],
    scored: Iterable[int],
    cases: list[Case],
    features: list[frozenset[str]],
    fold_of: dict[str, int],
    folds: int,
    started: float | None = None,
) -> dict[int, float]:
    """The probability each message of ``scored`` gets from a model learnt on ``rows``
    (message index, label) without its writer's fold: how a new voice would be read."""
    scored = list(scored)
    held: dict[int, float] = {}
    for fold in range(folds):
        inside = [(i, y) for i, y in rows if fold_of[cases[i].writer] != fold]
        model = train(
            [(features[i], y) for i, y in inside],
            level=level,
            writers=[cases[i].writer for i, _ in inside],
            **SETTINGS,
        )
        for i in scored:
            if fold_of[cases[i].writer] == fold:
                held[i] = model.probability(features[i])
        if started is not None:
            seconds = time.monotonic() - started
            name = level.name.lower()
            print(f"  {name}: fold {fold + 1}/{folds} ({seconds:.0f} s)", file=sys.stderr)
    return held


def _build(
    level: Level,
    label: Callable[[Case], bool | None],
    cases: list[Case],
    features: list[frozenset[str]],
    fold_of: dict[str, int],
    args: argparse.Namespace,
    started: float,
    calming: Calming | None = None,
) -> tuple[Scorer, list[float]]:
    """The scorer of ``level``, and the held-out probability it gives every message."""
    name = level.name.lower()
    labelled = [i for i, case in enumerate(cases) if label(case) is not None]
    rows = [(features[i], label(cases[i]), cases[i]) for i in labelled]
    # Held-out probability of every message, crises included.
    held = _held_out(
        level, [(i, bool(label(cases[i]))) for i in labelled], range(len(cases)),
        cases, features, fold_of, args.folds, started,
    )
    every = [held[i] for i in range(len(cases))]
    # The messages this scorer learns from, scored by the folds that never saw their writer.
    held_out = [every[i] for i in labelled]
    truth = [cases[i] for i in labelled]
    found = [p for p, case in zip(held_out, truth, strict=True) if label(case)]
    quiet = [p for p, case in zip(held_out, truth, strict=True) if case.level is Level.NONE]
    # Raising a report of a lower level is an error too: a bleeding reported is urgent, not
    # an emergency ("I am 52 and pregnant and bleeding").
    lower = [
        p
        for p, case in zip(held_out, truth, strict=True)
        if case.level is not None and Level.NONE < case.level < level
    ]

    def rates(threshold: float) -> tuple[float, float]:
        recall = sum(p >= threshold for p in found) / len(found)
        return recall, sum(p >= threshold for p in quiet) / len(quiet)

    def raised_reports(threshold: float) -> float:
        return sum(p >= threshold for p in lower) / len(lower) if lower else 0.0

    print(
        f"{name}: threshold  recall (held-out writers)  quiet messages raised  reports of a"
        " lower level raised",
        file=sys.stderr,
    )
    for threshold in THRESHOLDS:
        recall, false = rates(threshold)
        print(
            f"  {threshold:.2f}     {recall:6.1%}{false:27.2%}{raised_reports(threshold):23.2%}",
            file=sys.stderr,
        )
    budget = args.max_false_crisis if level is Level.CRISIS else args.max_false
    chosen = min(
        (
            t
            for t in THRESHOLDS
            if rates(t)[1] <= budget and raised_reports(t) <= args.max_over
        ),
        default=THRESHOLDS[-1],
    )
    recall, false = rates(chosen)
    # The crisis scorer's gentle band: under the threshold, down to where at most
    # NOTE_MAX_QUIET of the held-out quiet messages would get the gentle word.
    note = None
    if level is Level.CRISIS:
        note = min(
            (t for t in THRESHOLDS if t < chosen and rates(t)[1] <= NOTE_MAX_QUIET), default=None
        )
    calm, calm_figures = _calm(cases, every, calming) if calming else (None, {})
    calm_now: float | None = None
    now_figures: dict[str, Any] = {}
    if calming and calm is not None:  # never a higher bar than calm
        calm_now, now_figures = _calm(cases, every, calming, now=True)
        calm_now = None if calm_now is None else min(calm_now, calm)
    model = train(
        [(f, bool(y)) for f, y, _ in rows],
        level=level,
        writers=[case.writer for _, _, case in rows],
        **SETTINGS,
    )
    about = {
        "learns": name if level is not Level.URGENT else "any current sign (urgent or emergency)",
        "trained_on": list(TRAINING),
        "messages": len(rows),
        "of_its_level": len(found),
        "writers": len({case.writer for _, _, case in rows}),
        "settings": SETTINGS,
        "held_out_by_writer": {
            "folds": args.folds,
            "recall": round(recall, 4),
            "quiet_raised": round(false, 4),
            "lower_reports_raised": round(raised_reports(chosen), 4),
            "max_over": args.max_over,
            "max_false": budget,
            **(
                {
                    "recall_with_note": round(rates(note)[0], 4),
                    "quiet_with_note": round(rates(note)[1], 4),
                }
                if note is not None
                else {}
            ),
            **calm_figures,
            **{f"{key}_now": value for key, value in now_figures.items()},
        },
    }
    print(
        f"{name}: threshold {chosen:.2f}, {recall:.1%} of held-out messages of its level, "
        f"{false:.2%} of held-out quiet messages raised; {len(model.weights)} features",
        file=sys.stderr,
    )
    if note is not None:
        print(
            f"{name}: gentle note from {note:.2f}, {rates(note)[0]:.1%} of held-out messages "
            f"of its level get the note or more, {rates(note)[1]:.2%} of quiet messages",
            file=sys.stderr,
        )
    if calming is not None and calm is None:
        print(f"{name}: never calms: a held-out report would be calmed", file=sys.stderr)
    if calm is not None:
        print(
            f"{name}: calms the phrases' alarm under {calm}: "
            f"{calm_figures['calm_quieted']} of {calm_figures['phrase_false_alarms']} held-out "
            f"false alarms, {calm_figures['calm_lost']} reports",
            file=sys.stderr,
        )
    if calm is not None and calm_now is None:
        print(
            f"{name}: never calms a message placed now (the highest step of the grid that "
            f"calms no held-out report placed now: {now_figures['calm_highest_safe']})",
            file=sys.stderr,
        )
    if calm_now is not None:
        print(
            f"{name}: ... and those placed now under {calm_now}: "
            f"{now_figures['calm_quieted']} of {now_figures['phrase_false_alarms']} held-out "
            f"false alarms, {now_figures['calm_lost']} reports",
            file=sys.stderr,
        )
    scorer = Scorer(level, model.weights, model.bias, chosen, about, note, calm, calm_now)
    return scorer, every


def _calm(
    cases: list[Case], held_out: list[float], calming: Calming, *, now: bool = False
) -> tuple[float | None, dict[str, Any]]:
    """The probability under which the any-sign scorer calms the phrases' urgent or
    emergency alarm: one step of ``CALM_GRID`` under the highest at which no held-out report
    (urgent, emergency or crisis) that could be calmed (``Calming.calmable``) is calmed.
    None when no step of the grid has a step under it that is safe (the figures say where it
    stopped). ``now``: chosen on the messages that place a sign now ("today", "23w") instead
    of those that do not."""
    alarms = [
        (p, case)
        for i, (p, case) in enumerate(zip(held_out, cases, strict=True))
        if calming.calmable(i, now=now)
    ]

    def calmed(threshold: float, reports: bool) -> int:
        return sum(
            p < threshold and (case.level is not Level.NONE) is reports for p, case in alarms
        )

    safe = [t for t in CALM_GRID if not calmed(t, reports=True)]
    safe = [t for t in safe if all(u in safe for u in CALM_GRID if u < t)]
    calm = safe[-2] if len(safe) >= 2 else None
    return calm, {
        # None: a held-out report would be calmed at the lowest step of the grid
        "calm_highest_safe": safe[-1] if safe else None,
        "phrase_false_alarms": sum(
            1 for case, level, placed in zip(cases, calming.levels, calming.now, strict=True)
            if case.level is Level.NONE and Level.NONE < level < Level.CRISIS and placed is now
        ),
        "calm_quieted": calmed(calm, reports=False) if calm is not None else 0,
        "calm_lost": calmed(calm, reports=True) if calm is not None else 0,
    }


def _build_false_alarms(
    cases: list[Case],
    features: list[frozenset[str]],
    fold_of: dict[str, int],
    args: argparse.Namespace,
    calming: Calming,
    sign_held_out: list[float],
    guards: Sequence[tuple[frozenset[str], float]] = (),
) -> Scorer | None:
    """The false-alarm scorer (level none): learnt on the messages the phrases raise to urgent
    or emergency, the crisis scorer sure; True for those that tell of no sign. None when no
    pair of the grids is safe. ``guards``: hand-written reports (features, the any-sign
    scorer's probability) that no chosen pair may calm (see :func:`_guards`)."""
    alarmed = [
        i
        for i, level in enumerate(calming.levels)
        if Level.NONE < level < Level.CRISIS and not calming.near_crisis[i]
    ]
    rows = [(i, cases[i].level is Level.NONE) for i in alarmed]
    if len({y for _, y in rows}) < 2:
        print("none: the phrases raise no false alarm, or only false alarms", file=sys.stderr)
        return None
    held = _held_out(Level.NONE, rows, alarmed, cases, features, fold_of, args.folds)
    urgent = [i for i in alarmed if cases[i].level is Level.URGENT]
    severe = [i for i in alarmed if cases[i].level in (Level.EMERGENCY, Level.CRISIS)]
    quiet = [i for i in alarmed if cases[i].level is Level.NONE]

    def calmed(group: list[int], threshold: float, sign_under: float) -> int:
        return sum(held[i] >= threshold and sign_held_out[i] < sign_under for i in group)

    model = train(
        [(features[i], y) for i, y in rows],
        level=Level.NONE,
        writers=[cases[i].writer for i, _ in rows],
        **SETTINGS,
    )
    judged = [(model.probability(f), sign) for f, sign in guards]

    def safe(threshold: float, sign_under: float) -> bool:
        return (
            not calmed(severe, threshold, sign_under)
            and calmed(urgent, threshold, sign_under) <= args.max_calm_lost * len(urgent)
            and not any(p >= threshold and sign < sign_under for p, sign in judged)
        )

    pairs = [
        (calmed(quiet, threshold, sign_under), threshold, -sign_under)
        for step, threshold in enumerate(FALSE_ALARM_GRID[1:], start=1)
        for sign_under in SIGN_UNDER_GRID
        if safe(threshold, sign_under) and safe(FALSE_ALARM_GRID[step - 1], sign_under)
    ]
    if not pairs:
        print("none: no pair of the grids calms no held-out report", file=sys.stderr)
        return None
    quieted, threshold, minus_sign = max(pairs)
    sign_under = -minus_sign
    lost = calmed(urgent, threshold, sign_under)
    print(
        f"none: calms the phrases' alarm at {threshold} or more with the any-sign scorer under "
        f"{sign_under}: {quieted} of {len(quiet)} held-out false alarms, {lost} of "
        f"{len(urgent)} urgent reports (a line above the answer still says to call)",
        file=sys.stderr,
    )
    about = {
        "learns": "false alarms of the phrases (messages they raise that tell of no sign)",
        "trained_on": list(TRAINING),
        "messages": len(rows),
        "of_its_level": len(quiet),
        "writers": len({cases[i].writer for i, _ in rows}),
        "settings": SETTINGS,
        "held_out_by_writer": {
            "folds": args.folds,
            "false_alarms_calmed": quieted,
            "urgent_reports_calmed": lost,
            "urgent_reports": len(urgent),
            "emergency_or_crisis_reports": len(severe),
            "max_calm_lost": args.max_calm_lost,
            "guards": len(guards),
        },
    }
    return Scorer(
        Level.NONE, model.weights, model.bias, threshold, about, sign_under=sign_under
    )


def _guards(engine: Engine, crisis: Scorer | None) -> list[tuple[frozenset[str], bool]]:
    """Hand-written emergencies that no calming may silence, whatever the held-out figures
    say: the cases of ``GUARDS`` and the red flags' ``must_match`` messages that the phrases
    raise to an emergency and a scorer could calm (the ``crisis`` scorer is sure there is no
    crisis, the writer does not say "I'm bleeding"), as their features and whether they place
    the sign now. An urgent report calmed still gets ``sign_note`` (call today if it is
    yours); an emergency calmed would lose "go now". The corpus's writers hold few of some signs
    ("fell off a ladder. belly first."); these keep a rebuild from calming them."""
    cases = yaml.safe_load(GUARDS.read_text(encoding="utf-8"))
    texts = [case["statement"] for case in cases if case["expected"] in ("urgent", "emergency")]
    texts += [t.text for t in engine.content.tests if t.kind == "red flag" and t.expected]
    detector = UrgencyDetector(engine.content)  # the phrases alone
    return [
        (features, detector.told_as_now(text))
        for text in dict.fromkeys(texts)
        if detector.detect(text).level is Level.EMERGENCY
        and not detector.never_calmed(text)
        and (features := detector.features(text))
        and (crisis is None or crisis.probability(features) < CALM_UNDER_CRISIS)
    ]


def _guarded(scorer: Scorer, guards: list[tuple[frozenset[str], bool]]) -> Scorer:
    """The any-sign scorer with ``calm`` and ``calm_now`` lowered to the highest step of
    ``CALM_GRID`` that calms none of ``guards`` (None when even the lowest would)."""

    def capped(calm: float | None, now: bool) -> float | None:
        lowest = min((scorer.probability(f) for f, placed in guards if placed is now), default=1)
        if calm is None or calm <= lowest:
            return calm
        return max((step for step in CALM_GRID if step <= lowest), default=None)

    calm = capped(scorer.calm, now=False)
    calm_now = capped(scorer.calm_now, now=True)
    calm_now = None if calm is None or calm_now is None else min(calm_now, calm)
    about = {**scorer.about, "guards": len(guards), "calm_before_guards": scorer.calm}
    if (calm, calm_now) != (scorer.calm, scorer.calm_now):
        print(f"urgent: the guards lower calm to {calm}, calm_now to {calm_now}", file=sys.stderr)
    return replace(scorer, calm=calm, calm_now=calm_now, about=about)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=6, help="writer folds (default 6)")
    parser.add_argument(
        "--max-false",
        type=float,
        default=0.0035,
        help="held-out quiet messages the emergency and any-sign scorers may raise (default "
        "0.0035 = 0.35%%)",
    )
    parser.add_argument(
        "--max-false-crisis",
        type=float,
        default=0.0025,
        help="held-out quiet messages the crisis scorer may raise (default 0.0025 = 0.25%%)",
    )
    parser.add_argument(
        "--max-over",
        type=float,
        default=0.02,
        help="held-out reports of a lower level a scorer may raise (default 0.02 = 2%%)",
    )
    parser.add_argument(
        "--max-calm-lost",
        type=float,
        default=0.001,
        help="held-out urgent reports the false-alarm scorer may calm (default 0.001)",
    )
    parser.add_argument(
        "--check", action="store_true", help="compare with the file, write nothing"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the labelled corpus folder")
    parser.add_argument("--output", type=Path, default=PACKAGED_SCORERS, help="the scorers file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    engine = Engine.load(scorers=())
    detector, digest = engine.urgency, content_digest(engine.content)
    cases = [
        case
        for split in TRAINING
        for case in load_split(args.corpus / split)
        if case.level is not None
    ]
    print(f"reading {len(cases)} messages of {', '.join(TRAINING)}...", file=sys.stderr)
    features = [detector.features(case.text) for case in cases]
    fold_of = _folds(cases, args.folds)
    built: list[Scorer] = []
    guards: list[tuple[frozenset[str], bool]] = []
    crisis_held_out: list[float] = []
    for level, label in TARGETS:  # the crisis scorer first: it keeps crises from being calmed
        calming = None
        if level is Level.URGENT:
            calming = Calming(
                [detector.detect(case.text).level for case in cases],
                [detector.told_as_now(case.text) for case in cases],
                [p >= CALM_UNDER_CRISIS for p in crisis_held_out],
            )
        scorer, held_out = _build(
            level, label, cases, features, fold_of, args, started, calming
        )
        if level is Level.URGENT:
            scorer = _guarded(scorer, guards)
        built.append(scorer)
        if level is Level.CRISIS:
            crisis_held_out = held_out
            guards = _guards(engine, scorer)
        if calming is not None:
            signed = [(f, scorer.probability(f)) for f, _ in guards]
            judge = _build_false_alarms(
                cases, features, fold_of, args, calming, held_out, signed
            )
            built.extend(() if judge is None else (judge,))
    # What they were learnt with: `faqbot check` warns when the red flags have changed since.
    scorers = [replace(scorer, about={**scorer.about, "content": digest}) for scorer in built]
    if args.check:
        try:
            current = load_scorers(args.output)
        except ScorerError as error:
            print(error)
            return 1
        same = all(s.about.get("content") == digest for s in current) and [
            (s.level, s.threshold, s.note, s.calm, s.calm_now, s.sign_under, dict(s.weights))
            for s in current
        ] == [
            (
                s.level, s.threshold, s.note, s.calm, s.calm_now, s.sign_under,
                {f: round(w, 4) for f, w in s.weights.items()},
            )
            for s in sorted(scorers, key=lambda scorer: -scorer.level)
        ]
        print("up to date" if same else f"{args.output} is out of date: run the script")
        return 0 if same else 1
    save_scorers(scorers, args.output)
    print(f"{args.output}: written ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

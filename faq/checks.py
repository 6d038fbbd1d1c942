"""Checks of the FAQ content that need the engine: the content's own tests, phrasings the
matcher cannot use or tell apart, and alternatives that land closer to another entry.

The loader (:mod:`faq.loader`) checks the YAML's shape; these checks run on what it built, so
that ``faqbot check`` and every reload of the running bot report everything in one go, each
problem with the file and line of the item at fault.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from faq.engine import Engine
from faq.matcher import Matcher
from faq.model import Content, ContentTest, Problem, Severity
from faq.scorer import PACKAGED_SCORERS, content_digest

#: An alternative that wins for its own entry by fewer points than this is reported: a small
#: rewording by a user may send it to the other entry.
COLLISION_MARGIN = 5.0


@dataclass(frozen=True, slots=True)
class TestResult:
    """One content test and what the engine did with it."""

    test: ContentTest
    passed: bool
    got: str  # what happened, in words ("answered 'risk-factors' (74.8)", "raised bleeding")


def run_tests(engine: Engine, tests: tuple[ContentTest, ...] | None = None) -> list[TestResult]:
    """Run the content's ``must_match`` / ``must_not_match`` tests (all of them by default)."""
    results: list[TestResult] = []
    for test in engine.content.tests if tests is None else tests:
        if test.kind == "entry":
            answer = engine.answer(test.text)
            got_id = answer.match.id if answer.match else None
            if answer.match:
                got = f"answered '{answer.match.id}' ({answer.match.score:.1f})"
            else:
                closest = ", ".join(f"'{m.id}'" for m in answer.suggestions[:2]) or "none"
                got = f"got no answer (closest: {closest})"
            passed = (got_id == test.target) == test.expected
        else:
            flags = engine.urgency.detect(test.text).flags
            got = f"raised {', '.join(flags)}" if flags else "raised no red flag"
            passed = (test.target in flags) == test.expected
        results.append(TestResult(test, passed, got))
    return results


def test_problems(results: list[TestResult]) -> list[Problem]:
    """A failing content test as an error at its own line."""
    problems = []
    for result in results:
        if result.passed:
            continue
        test = result.test
        key = "must_match" if test.expected else "must_not_match"
        what = "land on" if test.kind == "entry" else "raise"
        verb = what if test.expected else f"not {what}"
        problems.append(
            Problem(
                test.file,
                test.line,
                f"{test.kind} '{test.target}': {key} '{test.text}' should {verb} it, but "
                f"{result.got}",
            )
        )
    return problems


def phrasing_problems(content: Content, matcher: Matcher) -> list[Problem]:
    """Phrasings the matcher cannot use (only common words) or cannot tell apart from a
    phrasing of another entry; both are reported at the phrasing's own line when it has one."""
    problems: list[Problem] = []

    def where(entry_id: str, text: str) -> tuple[str, int]:
        found = content.phrasing_lines.get((entry_id, text))
        if found:
            return found
        file, _, line = content.locations.get(entry_id, "?:0").rpartition(":")
        return file, int(line) if line.isdigit() else 0

    for entry in content.entries:
        for phrasing in entry.phrasings:
            if not matcher.normalizer.analyse(phrasing).content:
                problems.append(
                    Problem(
                        *where(entry.id, phrasing),
                        f"entry '{entry.id}': the phrasing '{phrasing}' has only common words, "
                        "so it cannot be matched; add a word that names the topic",
                        Severity.WARNING,
                    )
                )
    # Phrasings of two entries that read the same: reported once per phrasing a moderator
    # wrote (the phrasing bank is generated), at its line, naming the other entry's.
    clashes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for entry_id, phrasing, other_id, other in matcher.ambiguities():
        mine, theirs = (entry_id, phrasing), (other_id, other)
        if mine not in content.phrasing_lines and theirs in content.phrasing_lines:
            mine, theirs = theirs, mine
        clashes.setdefault(mine, []).append(theirs)
    for (entry_id, phrasing), others in clashes.items():
        other_id, other = others[0]
        if (other_id, other) in content.phrasing_lines:
            other_file, other_line = content.phrasing_lines[(other_id, other)]
            place = f"{other_file}:{other_line}"
        else:
            place = "in the generated phrasing bank"
        reading = " ".join(matcher.analyse(phrasing).content)
        more = f" and {len(others) - 1} more of its phrasings" if len(others) > 1 else ""
        problems.append(
            Problem(
                *where(entry_id, phrasing),
                f"entry '{entry_id}': the phrasing '{phrasing}' reads the same to the matcher "
                f"('{reading}') as '{other}' of '{other_id}' ({place}){more}; "
                f"reword it, or move it to '{other_id}' if that is what it asks",
            )
        )
    return problems


def collision_problems(
    content: Content, matcher: Matcher, *, skip: frozenset[tuple[str, str]] = frozenset()
) -> list[Problem]:
    """Alternatives written in the entries that, scored as a message (leaving themselves
    out), land on another entry, or win by less than ``COLLISION_MARGIN`` points (``skip``:
    alternatives already reported as the same as another entry's)."""
    problems: list[Problem] = []
    index_of = {entry.id: i for i, entry in enumerate(content.entries)}
    # Phrasings that read the same to the matcher ("what is my cervix", "cervix?") stand for
    # each other: one is left out only when no other phrasing of its entry reads the same.
    readings = {
        entry.id: Counter(matcher.analyse(text).text for text in entry.phrasings)
        for entry in content.entries
    }
    for (entry_id, text), (file, line) in content.phrasing_lines.items():
        own = index_of.get(entry_id)
        if own is None or text == content.entries[own].question or (entry_id, text) in skip:
            continue
        alone = readings[entry_id][matcher.analyse(text).text] == 1
        _, scored = matcher.score(text, leave_out=(own, text) if alone else None)
        entries = [item for item in scored if item.index < len(content.entries)]
        if not entries:
            continue
        mine = next((item for item in entries if item.index == own), None)
        rival = next(item for item in entries if item.index != own) if len(entries) > 1 else None
        if rival is None:
            continue
        rival_entry = content.entries[rival.index]
        rival_at = content.locations.get(rival_entry.id, "?")
        mine_score = mine.score if mine else 0.0
        if entries[0].index != own:
            message = (
                f"entry '{entry_id}': the alternative '{text}' lands on '{rival_entry.id}' "
                f"({rival_at}) instead: {rival.score:.1f} against {mine_score:.1f}; reword it "
                "with the words that make it this topic, or move it"
            )
        elif mine_score - rival.score < COLLISION_MARGIN:
            message = (
                f"entry '{entry_id}': the alternative '{text}' is only "
                f"{mine_score - rival.score:.1f} points ahead of '{rival_entry.id}' "
                f"({rival_at}); a small rewording by a user could land there"
            )
        else:
            continue
        problems.append(Problem(file, line, message, Severity.WARNING))
    return problems


def scorer_problems(engine: Engine) -> list[Problem]:
    """The learnt warning-sign scorers, when they were learnt on other red flags or language
    words than the content's: they still read messages, but on another reading than the one
    they were measured on. A warning, at the scorers' file."""
    urgency = engine.urgency
    scorers = [*urgency.scorers, *([urgency.false_alarms] if urgency.false_alarms else [])]
    learnt = {scorer.about.get("content") for scorer in scorers}
    if not scorers or learnt == {content_digest(engine.content)}:
        return []
    return [
        Problem(
            PACKAGED_SCORERS.name,
            0,
            "the warning-sign scorers were learnt with other red flags or language words than "
            "these (red flags' phrases or exceptions, or the words of languages.yaml, have "
            "changed since): they still read every message, but their measured recall and "
            "false alarms no longer hold. Rebuild them from a checkout of the project: "
            "'python scripts/build_scorers.py'",
            Severity.WARNING,
        )
    ]


def check_content(engine: Engine) -> tuple[list[Problem], list[TestResult]]:
    """Every check that needs the engine, and the content tests' results."""
    content, matcher = engine.content, engine.matcher
    results = run_tests(engine)
    same = frozenset(
        pair
        for entry_id, text, other_id, other in matcher.ambiguities()
        for pair in ((entry_id, text), (other_id, other))
    )
    problems = [
        *test_problems(results),
        *phrasing_problems(content, matcher),
        *collision_problems(content, matcher, skip=same),
        *scorer_problems(engine),
    ]
    return problems, results

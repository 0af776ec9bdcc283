"""Rules the curriculum's content keeps wherever it is written: in ``modules/`` (checked by
the import) and in the web editor (checked when a version is saved).

Each rule is a plain function over plain data that returns what is wrong, so that the
import can name the file and line and the editor can name the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..vocabulary import LegalReview


def provisions_needing_review(
    legal_review: str, cited: Iterable[str], review_of: Mapping[str, str]
) -> list[str]:
    """The cited provisions that still need legal review, when a module claims to be checked.

    A module cannot be "checked" while it teaches from a provision whose wording a
    lawyer has not confirmed: the module is only as sure as its least sure source.
    """
    if legal_review != LegalReview.CHECKED:
        return []
    return [key for key in cited if review_of.get(key) != LegalReview.CHECKED]


QUIZ_MIN_QUESTIONS = 5
QUIZ_CHOICES = 4
QUIZ_MAX_SHARE_OF_ONE_POSITION = 0.4


def quiz_problems(quiz: list[dict]) -> list[tuple[int | None, str]]:
    """What keeps a module's quiz from being a fair test, as (question index or None, message).

    Each question has four choices and an explanation in both languages; there are at
    least five questions; and the right answer is not mostly in one position, so that a
    participant who always ticks the same letter cannot pass.
    """
    problems: list[tuple[int | None, str]] = []
    if len(quiz) < QUIZ_MIN_QUESTIONS:
        problems.append(
            (
                None,
                f"a module needs at least {QUIZ_MIN_QUESTIONS} quiz questions (found {len(quiz)})",
            )
        )
    for index, q in enumerate(quiz):
        number = index + 1
        for language in ("en", "lo"):
            if len(q["choices"].get(language) or []) != QUIZ_CHOICES:
                problems.append(
                    (
                        index,
                        f"question {number} has {len(q['choices'].get(language) or [])}"
                        f" choices in '{language}': give {QUIZ_CHOICES}",
                    )
                )
            if not q["question"].get(language):
                problems.append((index, f"question {number} has no '{language}' text"))
            if not (q.get("explanation") or {}).get(language):
                problems.append((index, f"question {number} has no explanation in '{language}'"))
    answers = [q["answer"] for q in quiz]
    if answers:
        position = max(set(answers), key=answers.count)
        count = answers.count(position)
        if count / len(answers) > QUIZ_MAX_SHARE_OF_ONE_POSITION:
            problems.append(
                (
                    None,
                    f"the right answer is choice {position} in {count} of {len(answers)}"
                    f" questions (more than {QUIZ_MAX_SHARE_OF_ONE_POSITION:.0%}):"
                    " spread the right answers over the choices",
                )
            )
    return problems

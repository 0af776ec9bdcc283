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


CASE_STUDY_HEADING = {"en": "# Case study: ", "lo": "# ກໍລະນີສຶກສາ: "}


def case_study_titles(body: str, language: str) -> list[str]:
    """The titles of the chapter's case studies, from its ``# Case study: ...`` headings."""
    prefix = CASE_STUDY_HEADING[language]
    return [line[len(prefix) :].strip() for line in body.split("\n") if line.startswith(prefix)]


def case_study_problems(body: dict[str, str], case_studies: list[dict]) -> list[str]:
    """Every case study in the chapter has a model answer, and every model answer a case.

    ``case_studies`` are the module's entries ``{title: {en, lo}, model_answer: {en, lo}}``;
    an entry is matched to the chapter by its title in each language the chapter has.
    """
    problems = []
    for language in ("en", "lo"):
        if not body.get(language):
            continue
        in_chapter = case_study_titles(body[language], language)
        answered = [c["title"].get(language, "") for c in case_studies]
        for title in in_chapter:
            if title not in answered:
                problems.append(
                    f"the case study '{title}' ({language}) has no model answer in 'case_studies'"
                )
        for title in answered:
            if title and title not in in_chapter:
                problems.append(
                    f"'case_studies' has a model answer for '{title}' ({language}),"
                    " but the chapter has no case study of that title"
                )
    for c in case_studies:
        if not c["model_answer"].get("en"):
            problems.append(f"the case study '{c['title']['en']}' has no English model answer")
    return problems


def handout_problems(
    handouts: list[str], language: str, materials: Mapping[str, Mapping]
) -> list[str]:
    """A plan's handouts exist as files, in the plan's language, each named once."""
    problems = []
    seen: set[str] = set()
    for key in handouts:
        if key in seen:
            problems.append(f"handout '{key}' is named twice")
        seen.add(key)
        material = materials.get(key)
        if material is None:
            problems.append(f"handout '{key}' has no file materials/{key}.md")
        elif language == "lo" and not material["body"].get("lo"):
            problems.append(f"handout '{key}' has no Lao file materials/{key}.lo.md")
    return problems


def _same_text(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.casefold().split()).rstrip(".;:")

    return norm(a) == norm(b)


def plan_coverage_gaps(modules: list[dict], plans: list[dict]) -> list[str]:
    """What each module's lesson plans leave out, per language: minutes of the module not
    covered by its plans, and learning outcomes no plan has among its objectives.

    A plan covers an outcome when the outcome is one of its objectives (the builder's
    "start from the module" copies them); the module's length is covered when its plans
    add up to at least its duration. ``modules`` are the files' module entries, ``plans``
    the files' plans.
    """
    gaps = []
    for module in modules:
        c = module["content"]
        for language in ("en", "lo"):
            outcomes = c["learning_outcomes"].get(language) or []
            own = [
                p
                for p in plans
                if p["kind"] == "plan"
                and p["module"] == module["code"]
                and p["language"] == language
            ]
            minutes = sum(p["duration_minutes"] for p in own)
            if minutes < c["duration_minutes"]:
                gaps.append(
                    f"{module['code']} ({language}): its plans cover {minutes} of"
                    f" {c['duration_minutes']} minutes"
                )
            uncovered = [
                number
                for number, outcome in enumerate(outcomes, start=1)
                if not any(_same_text(outcome, o) for p in own for o in p["objectives"])
            ]
            if uncovered:
                gaps.append(
                    f"{module['code']} ({language}): no plan serves outcome"
                    f"{'s' if len(uncovered) > 1 else ''} {', '.join(map(str, uncovered))}"
                )
    return gaps

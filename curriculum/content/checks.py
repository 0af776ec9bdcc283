"""Rules the curriculum's content keeps wherever it is written: in ``modules/`` (checked by
the import) and in the web editor (checked when a version is saved).

Each rule is a plain function over plain data that returns what is wrong, so that the
import can name the file and line and the editor can name the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..lao import words
from ..vocabulary import LegalReview
from .markdown import plain_text


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


def template_gaps(plans: list[dict]) -> list[str]:
    """Plan templates that exist in one language only.

    A template's versions share a key but for the language part (``t-en-half-day-210``,
    ``t-lo-half-day-210``), as module plans do.
    """
    templates = {(p["key"], p["language"]) for p in plans if p["kind"] == "template"}
    gaps = []
    for key, language in sorted(templates):
        for other in ("en", "lo"):
            twin = key.replace(f"-{language}-", f"-{other}-", 1)
            if other != language and (twin, other) not in templates:
                gaps.append(f"template {key} has no '{other}' version ({twin})")
    return gaps


def outline_gaps(plans: Mapping[str, list[str]]) -> list[str]:
    """Where a programme outline's Lao plans differ from its English ones: the Lao outline
    is the same sessions in the same order, each plan's Lao version (its key with ``-lo-``
    for ``-en-``), so that a workshop in either language teaches the same programme."""
    english = plans.get("en") or []
    expected = [key.replace("-en-", "-lo-", 1) for key in english]
    lao = plans.get("lo") or []
    if lao == expected:
        return []
    missing = [key for key in expected if key not in lao]
    if missing:
        return [
            f"the Lao outline lacks {', '.join(missing)} (the Lao versions of its English plans)"
        ]
    extra = [key for key in lao if key not in expected]
    if extra:
        return [f"the Lao outline has {', '.join(extra)}, which the English outline does not"]
    return ["the Lao outline lists its plans in another order than the English one"]


@dataclass(frozen=True)
class TermRule:
    """A Lao spelling that content must not use for a concept, and the glossary's term."""

    wrong: str
    right: str
    concept: str


# Spellings of the Lao script itself, whatever the word: the ligatures ຫຼ ໜ ໝ written as two
# letters, and the vowel ຳ written as ໍ + າ around a tone mark (ນໍ້າ for ນ້ຳ) look the same on
# screen but break search, sorting and the glossary's matches. (pattern, replacement, rule)
LAO_SPELLING_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile("\u0ecd([\u0ec8-\u0ecb]?)\u0eb2"),
        "\\1\u0eb3",
        "write the vowel ຳ after the tone mark (ນ້ຳ, not ນໍ້າ)",
    ),
    (re.compile("ຫລ"), "ຫຼ", "write the letter ຫຼ, not ຫ + ລ"),
    (re.compile("ຫນ"), "ໜ", "write the letter ໜ, not ຫ + ນ"),
    (re.compile("ຫມ"), "ໝ", "write the letter ໝ, not ຫ + ມ"),
)


@dataclass(frozen=True)
class LaoFinding:
    """A spelling found in Lao text that the curriculum does not use, and what to write."""

    found: str
    right: str
    concept: str  # the glossary term (in English) it stands for; "" for a spelling rule
    rule: str = ""  # the script's rule broken, for a spelling


def lao_findings(text: str, rules: Iterable[TermRule]) -> list[LaoFinding]:
    """The wrong spellings and terms in a piece of Lao text, in the order of the rules.

    A term variant is only reported once where a longer variant containing it already
    was (the legal-aid term inside a mistaken term for mutual legal assistance).
    """
    findings: list[LaoFinding] = []
    for pattern, replacement, rule in LAO_SPELLING_RULES:
        spelled: dict[str, str] = {}
        for match in pattern.finditer(text):
            spelled.setdefault(match.group(0), match.expand(replacement))
        findings.extend(LaoFinding(found, right, "", rule) for found, right in spelled.items())
    named: list[str] = []
    for term in rules:
        if term.wrong in text and not any(term.wrong in longer for longer in named):
            named.append(term.wrong)
            findings.append(LaoFinding(term.wrong, term.right, term.concept))
    return findings


def term_rules(terms: Iterable[Mapping]) -> list[TermRule]:
    """The glossary's wrong variants (``avoid``) as rules, longest first so that a long
    variant is named rather than a shorter one inside it."""
    rules = [
        TermRule(wrong, t["term"]["lo"], t["term"]["en"])
        for t in terms
        for wrong in t.get("avoid") or ()
        if wrong
    ]
    return sorted(rules, key=lambda r: -len(r.wrong))


def lao_terminology_problems(text: str, rules: Iterable[TermRule]) -> list[str]:
    """What a piece of Lao text spells differently from the glossary and the script's rules,
    as messages that quote the wrong form and the right one (for the import's report)."""
    problems = []
    if unicodedata.normalize("NFC", text) != text:
        problems.append("the text is not in Unicode NFC form: save it as NFC")
    for finding in lao_findings(text, rules):
        if finding.concept:
            problems.append(
                f"'{finding.found}' for {finding.concept!r}:"
                f" the glossary's Lao term is '{finding.right}'"
            )
        else:
            problems.append(f"'{finding.found}': {finding.rule}")
    return problems


def word_count(text: str) -> int:
    """Words in ``text`` as ICU's dictionary-based word breaks find them (Lao is written
    without spaces between words, so splitting at spaces would count phrases)."""
    return sum(1 for word in words(text) if any(ch.isalpha() for ch in word))


def lao_coverage(
    modules: list[dict],
    terms: list[dict],
    provisions: list[dict],
    plans: list[dict],
    materials: list[dict],
) -> dict:
    """How much of the curriculum is written in Lao: words per chapter in each language,
    and how many glossary definitions, provision summaries, handouts, module plans and plan
    templates have their Lao text. ``modules`` etc. are the content files' entries."""
    chapters = [
        {
            "code": m["code"],
            "en": word_count(plain_text(m["content"]["body"]["en"])),
            "lo": word_count(plain_text(m["content"]["body"].get("lo") or "")),
        }
        for m in modules
    ]
    templates = [p for p in plans if p["kind"] == "template"]
    return {
        "chapters": chapters,
        "definitions": (sum(1 for t in terms if t["definition"]["lo"]), len(terms)),
        "summaries": (sum(1 for p in provisions if p["summary"]["lo"]), len(provisions)),
        "handouts": (sum(1 for m in materials if m["body"]["lo"]), len(materials)),
        "modules_with_lao_plans": (
            len({p["module"] for p in plans if p["kind"] == "plan" and p["language"] == "lo"}),
            len(modules),
        ),
        "templates": (
            sum(1 for p in templates if p["language"] == "lo"),
            sum(1 for p in templates if p["language"] == "en"),
        ),
    }

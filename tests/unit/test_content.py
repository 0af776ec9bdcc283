"""The curriculum: files, import and export, versions, search, qualifications."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from curriculum.content.checks import lao_terminology_problems, plan_coverage_gaps, term_rules
from curriculum.content.files import ContentInvalid, read_curriculum, write_curriculum
from curriculum.content.markdown import render_markdown
from curriculum.errors import StaleObject, ValidationError
from curriculum.models import Module, ModuleRevision
from curriculum.permissions import SYSTEM
from curriculum.seed.demo import seed_demo, seed_qualifications
from curriculum.services.content import (
    compare_contents,
    export_curriculum,
    get_module,
    import_curriculum,
    list_revisions,
    restore_revision,
    review_needed,
    save_module,
)
from curriculum.services.qualifications import qualification_matrix
from curriculum.services.search import search_library
from tests.conftest import CURRICULUM


def test_shipped_curriculum_is_complete():
    cur = read_curriculum(CURRICULUM)
    assert [m["code"] for m in cur.modules] == [f"M{n:02d}" for n in range(1, 11)]
    assert len(cur.provisions) >= 40 and len(cur.terms) >= 40
    assert all(t["term"]["en"] and t["term"]["lo"] for t in cur.terms)
    for m in cur.modules:
        c = m["content"]
        assert len(re.findall(r"\w+", c["body"]["en"])) >= 800, m["code"]
        assert c["body"]["en"].count("\n# ") >= 4, m["code"]  # sections
        assert "Case study" in c["body"]["en"] and "Discussion questions" in c["body"]["en"]
        assert len(c["quiz"]) >= 5
        for q in c["quiz"]:
            assert len(q["choices"]["en"]) == len(q["choices"]["lo"]) == 4, m["code"]
            assert q["explanation"]["en"] and q["explanation"]["lo"], m["code"]
        answers = [q["answer"] for q in c["quiz"]]
        assert max(answers.count(n) for n in range(1, 5)) / len(answers) <= 0.4, m["code"]
        for key in ("title", "summary"):
            assert c[key]["lo"], (m["code"], key)
        for key in ("learning_outcomes", "key_messages"):
            assert len(c[key]["lo"]) == len(c[key]["en"]), (m["code"], key)
    # the whole curriculum in Lao, marked draft until a native reviewer reads it
    assert all(t["definition"]["lo"] for t in cur.terms)
    assert all(p["summary"]["lo"] for p in cur.provisions)
    for m in cur.modules:
        c = m["content"]
        assert c["translation"]["lo"] == "draft", m["code"]
        assert len(plain_words(c["body"]["lo"])) >= 300, m["code"]
        for level in ("# ", "## "):  # the Lao chapter has the English chapter's sections
            count = f"\n{level}"
            assert c["body"]["lo"].count(count) == c["body"]["en"].count(count), (m["code"], level)
        for case in c["case_studies"]:
            assert case["title"]["lo"] and case["model_answer"]["lo"], m["code"]
        lao_plans = [
            p for p in cur.lesson_plans if p["module"] == m["code"] and p["language"] == "lo"
        ]
        assert lao_plans, m["code"]
    templates = [p for p in cur.lesson_plans if p["kind"] == "template"]
    assert {p["language"] for p in templates} == {"en", "lo"}
    assert len([p for p in templates if p["language"] == "lo"]) == len(templates) / 2
    for material in cur.materials:  # every handout, in both languages
        assert (CURRICULUM / "materials" / f"{material['key']}.lo.md").exists(), material["key"]


def plain_words(text: str) -> list[str]:
    """Lao words as ICU breaks them would be best; runs of letters are enough to tell an
    empty or token chapter from a written one."""
    return re.findall(r"\w+", text)


def test_import_export_round_trip_gives_identical_files(db, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_curriculum(export_curriculum(db), first)
    summary = import_curriculum(db, SYSTEM, read_curriculum(first))
    assert summary.created == [] and summary.updated == []
    write_curriculum(export_curriculum(db), second)
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    assert "m01-concepts.lo.md" in names and "m10-training-methods.lo.md" in names
    plans = [n for n in names if n.startswith("lesson-plans/")]
    assert "lesson-plans/m04-lo-indicators-first-contact-90.yaml" in plans
    assert "lesson-plans/t-en-case-study-90.yaml" in plans
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # the shipped lesson plans are already in canonical form
    for name in plans:
        assert (first / name).read_bytes() == (CURRICULUM / name).read_bytes(), name
    # the handouts too, in both languages
    handouts = [n for n in names if n.startswith("materials/")]
    assert "materials/story-of-noy.md" in handouts and "materials/story-of-noy.lo.md" in handouts
    for name in handouts:
        assert (first / name).read_bytes() == (CURRICULUM / name).read_bytes(), name
    assert (first / "programmes.yaml").read_bytes() == (CURRICULUM / "programmes.yaml").read_bytes()
    # and the glossary, with the Lao spellings each term rules out
    assert (first / "glossary.yaml").read_bytes() == (CURRICULUM / "glossary.yaml").read_bytes()


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _line_of(path: Path, needle: str) -> int:
    """The last line holding ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert found, needle
    return found[-1]


@pytest.mark.parametrize(
    "name, old, new, needle, message",
    [
        # YAML reports a bad value where it notices it: the start of the next line.
        ("m03-lao-law.md", "duration_minutes: 180", "duration_minutes: [180", "learning_outcomes:", "not valid YAML"),
        ("m05-victim-assistance.md", "code: M05\n", "", "version: 1", "missing field 'code'"),
        ("m06-child-victims.md", "- LAO-PC-215\n", "- LAO-PC-999\n", "LAO-PC-999", "unknown provision 'LAO-PC-999'"),
        # The second 'child' is the original entry, further down.
        ("glossary.yaml", "- key: victim\n", "- key: child\n", "key: child", "term child appears twice"),
    ],
)  # fmt: skip
def test_a_broken_file_is_named_with_its_line_and_nothing_is_imported(
    db, tmp_path, name, old, new, needle, message
):
    folder = _broken(tmp_path, name, old, new)
    before = db.scalar(select(func.count()).select_from(ModuleRevision))
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    expected_line = _line_of(folder / name, needle)
    assert any(
        p.path == name and p.line == expected_line and message in p.message
        for p in info.value.problems
    ), info.value.problems
    assert db.scalar(select(func.count()).select_from(ModuleRevision)) == before


def _quiz_of(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / name
    return path, path.read_text(encoding="utf-8")


def test_a_quiz_with_the_right_answer_mostly_in_one_place_is_refused(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    path, text = _quiz_of(folder, "m05-victim-assistance.md")
    # M05's answers are 3, 1, 2, 4, 1: move the third and fourth to choice 1 (4 of 5 = 80%)
    assert text.count("  answer: 2\n") == 1 and text.count("  answer: 4\n") == 1
    text = text.replace("  answer: 2\n", "  answer: 1\n").replace("  answer: 4\n", "  answer: 1\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    (problem,) = info.value.problems
    assert problem.path == "m05-victim-assistance.md"
    assert "choice 1 in 4 of 5 questions" in problem.message
    assert problem.line == _line_of(path, "quiz:") + 1  # where the list of questions starts


def test_a_quiz_question_without_a_lao_explanation_or_a_fourth_choice_is_refused(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    path, text = _quiz_of(folder, "m02-toc-tipp.md")
    lines = text.split("\n")
    first = lines.index("quiz:") + 1  # "- question:" of question 1
    explanation = lines.index("  explanation:", first)
    assert lines[explanation + 2].startswith("    lo: ")
    without_lao = lines[: explanation + 2] + lines[explanation + 3 :]
    path.write_text("\n".join(without_lao), encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    assert [p.message for p in info.value.problems] == ["question 1 has no explanation in 'lo'"]

    choices = lines.index("  choices:", first)
    assert lines[choices + 1] == "    en:" and lines[choices + 2].startswith("    - ")
    three_choices = lines[: choices + 2] + lines[choices + 3 :]
    path.write_text("\n".join(three_choices), encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    messages = [p.message for p in info.value.problems]
    assert "question 1 has 3 choices in 'en': give 4" in messages


def test_a_module_with_fewer_than_five_questions_is_refused(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    path, text = _quiz_of(folder, "m10-training-methods.md")
    start = text.index("quiz:")
    end = text.index("\ncase_studies:", start)
    last = text.rindex("- question:", start, end)
    path.write_text(text[:last].rstrip("\n") + text[end:], encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    messages = [p.message for p in info.value.problems]
    assert messages == ["a module needs at least 5 quiz questions (found 4)"], messages


def test_a_plan_naming_a_handout_that_does_not_exist_is_refused(tmp_path):
    folder = _broken(
        tmp_path,
        "lesson-plans/m05-en-needs-and-rights-90.yaml",
        "- story-of-noy\n",
        "- story-of-noy\n- needs-timeline\n",
    )
    # the Lao plan names a handout whose Lao file is missing
    (folder / "materials" / "age-assessment-cards.lo.md").unlink()
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    problems = {(p.path, p.message) for p in info.value.problems}
    assert problems == {
        (
            "lesson-plans/m05-en-needs-and-rights-90.yaml",
            "handout 'needs-timeline' has no file materials/needs-timeline.md",
        ),
        (
            "lesson-plans/m06-lo-child-sensitive-interview-90.yaml",
            "handout 'age-assessment-cards' has no Lao file materials/age-assessment-cards.lo.md",
        ),
    }


def test_a_case_study_without_a_model_answer_is_refused(tmp_path):
    folder = _broken(
        tmp_path,
        "m09-related-crimes.md",
        "    en: the agency and the guesthouse\n",
        "    en: the agency\n",
    )
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    messages = sorted(p.message for p in info.value.problems)
    assert messages == [
        "'case_studies' has a model answer for 'the agency' (en), but the chapter has no case"
        " study of that title",
        "the case study 'the agency and the guesthouse' (en) has no model answer in 'case_studies'",
    ]


def test_a_duplicate_module_code_is_refused(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    shutil.copy(folder / "m07-investigation-prosecution.md", folder / "m07-copy.md")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    (problem,) = info.value.problems
    assert "module M07 is also defined in" in problem.message
    assert problem.line == _line_of(folder / problem.path, "code: M07")


def _edit(module: Module, language: str = "en", **changes) -> dict:
    c = module.content
    values = {
        "title": c["title"][language],
        "summary": c["summary"][language],
        "audience": c["audience"][language],
        "learning_outcomes": "\n".join(c["learning_outcomes"][language]),
        "key_messages": "\n".join(c["key_messages"][language]),
        "body": c["body"][language],
        "translation_status": c["translation"][language],
        "duration_minutes": str(c["duration_minutes"]),
        "legal_review": c["legal_review"],
        "comment": "Clearer wording",
    }
    values.update(changes)
    return values


def test_editing_keeps_versions_shows_differences_and_restores(db, people):
    coordinator = people["users"]["coordinator"]
    module = get_module(db, "M03")
    original = module.content
    body = original["body"]["en"].replace("A word of caution", "An important caution", 1)
    save_module(db, coordinator, "M03", "en", _edit(module, body=body), module.lock_version)
    assert module.revision == 2
    (new, old) = list_revisions(db, module)
    assert new.author_label == coordinator.name and new.comment == "Clearer wording"
    diffs = compare_contents(old.content, new.content)
    assert [(d.field, d.language) for d in diffs] == [("body", "en")]
    changed = [r for r in diffs[0].rows if r.kind == "replace"]
    assert changed and "A word of caution" in changed[0].old and "An important" in changed[0].new
    restore_revision(db, coordinator, "M03", 1, module.lock_version)
    assert module.revision == 3 and module.content == original
    assert list_revisions(db, module)[0].comment == "Restored version 1"


def test_two_people_editing_at_once_cannot_overwrite_each_other(db, people):
    coordinator = people["users"]["coordinator"]
    module = get_module(db, "M05")
    opened = module.lock_version
    save_module(db, coordinator, "M05", "lo", _edit(module, "lo", title="ຫົວຂໍ້ໃໝ່"), opened)
    with pytest.raises(StaleObject):
        save_module(db, coordinator, "M05", "lo", _edit(module, "lo", title="ອື່ນ"), opened)
    assert module.title_lo == "ຫົວຂໍ້ໃໝ່"


def test_saving_checks_the_text(db, people):
    module = get_module(db, "M02")
    with pytest.raises(ValidationError) as info:
        save_module(
            db,
            people["users"]["admin"],
            "M02",
            "en",
            _edit(module, title="<b>x</b>", duration_minutes="ten", comment=""),
            module.lock_version,
        )
    assert {"title", "duration_minutes", "comment"} <= set(info.value.errors)
    with pytest.raises(ValidationError):  # nothing changed
        save_module(db, people["users"]["admin"], "M02", "en", _edit(module), module.lock_version)


def test_the_lao_editor_names_a_wrong_term_on_its_field_and_saves_nothing(db, people):
    module = get_module(db, "M08")
    body = module.content["body"]["lo"]
    assert "ການຊ່ວຍເຫຼືອເຊິ່ງກັນ ແລະ ກັນທາງອາຍາ" in body
    wrong = body.replace("ການຊ່ວຍເຫຼືອເຊິ່ງກັນ ແລະ ກັນທາງອາຍາ", "ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ ແລະ ກັນ", 1)
    revision = module.revision
    with pytest.raises(ValidationError) as info:
        save_module(
            db,
            people["users"]["admin"],
            "M08",
            "lo",
            _edit(module, "lo", body=wrong, summary=module.content["summary"]["lo"] + " ຫລວງພະບາງ"),
            module.lock_version,
        )
    errors = {field: [str(m) for m in messages] for field, messages in info.value.errors.items()}
    assert errors == {
        "body": [
            "Write 'ການຊ່ວຍເຫຼືອເຊິ່ງກັນ ແລະ ກັນທາງອາຍາ', the glossary's term for mutual legal"
            " assistance, not 'ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ'."
        ],
        "summary": ["Write 'ຫຼ' (the standard spelling of the same letters), not 'ຫລ'."],
    }
    db.expire_all()
    assert get_module(db, "M08").revision == revision
    assert get_module(db, "M08").content["body"]["lo"] == body


def test_a_checked_module_citing_a_provision_under_review_is_refused_by_the_import(tmp_path):
    # M03 cites LAO-PC-215, whose wording still needs legal review.
    folder = _broken(tmp_path, "m03-lao-law.md", "legal_review: needed", "legal_review: checked")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    (problem,) = info.value.problems
    assert problem.path == "m03-lao-law.md"
    assert problem.line == _line_of(folder / "m03-lao-law.md", "legal_review: checked")
    assert "need legal review" in problem.message and "LAO-PC-215" in problem.message


def test_the_shipped_modules_are_checked_only_where_every_cited_provision_is():
    cur = read_curriculum(CURRICULUM)
    review_of = {p["key"]: p["legal_review"] for p in cur.provisions}
    for m in cur.modules:
        c = m["content"]
        all_checked = all(review_of[k] == "checked" for k in c["provisions"])
        assert c["legal_review"] != "checked" or all_checked, m["code"]


def test_the_editor_refuses_checked_while_a_cited_provision_needs_review(db, people):
    admin = people["users"]["admin"]
    module = get_module(db, "M03")
    with pytest.raises(ValidationError) as info:
        save_module(
            db, admin, "M03", "en", _edit(module, legal_review="checked"), module.lock_version
        )
    (message,) = info.value.errors["legal_review"]
    assert "LAO-PC-215" in message
    assert module.content["legal_review"] == "needed" and module.revision == 1
    # Once the provision is confirmed, the module can be marked checked.
    for provision in module.provisions:
        provision.legal_review = "checked"
    save_module(db, admin, "M03", "en", _edit(module, legal_review="checked"), module.lock_version)
    assert module.content["legal_review"] == "checked"
    # A provision put back under review blocks restoring a "checked" version.
    module.provisions[0].legal_review = "needed"
    save_module(db, admin, "M03", "en", _edit(module, legal_review="needed"), module.lock_version)
    with pytest.raises(ValidationError) as info:
        restore_revision(db, admin, "M03", 2, module.lock_version)
    assert module.provisions[0].key in info.value.errors[None][0]


def test_markdown_is_sanitised():
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[a](javascript:alert(1)) [b](https://example.org)"
    ).html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and 'href="https://example.org"' in html


def test_search_finds_a_lao_word_inside_a_sentence_and_its_variant_spelling(db):
    # M04's Lao chapter has ການຊ່ວຍເຫຼືອທາງກົດໝາຍ with no space inside.
    for query in ("ເຫຼືອທາງ", "ເຫລືອທາງ", "ຊ່ວຍເຫລືອ"):
        hits = search_library(db, query)
        modules = [h.key for h in hits if h.kind == "module"]
        assert "M04" in modules, query
        hit = next(h for h in hits if h.key == "M04")
        assert hit.language == "lo"
        match = "".join(text for text, is_match in hit.snippet if is_match)
        assert match.replace("ຫລ", "ຫຼ") == query.replace("ຫລ", "ຫຼ")


def test_search_ranks_whole_words_above_parts_of_words(db):
    hits = search_library(db, "smuggling")
    assert hits and hits[0].whole_word
    partial = search_library(db, "smuggl")
    assert partial and not any(h.whole_word for h in partial)
    mixed = search_library(db, "child")
    flags = [h.whole_word for h in mixed]
    assert True in flags and False in flags
    assert flags == sorted(flags, reverse=True)  # every whole-word hit before any partial one
    assert search_library(db, "x") == []


def test_review_list_names_lao_drafts_and_legal_checks(db):
    items = {(i.kind, i.key): i.needs for i in review_needed(db)}
    assert "lao" in items[("module", "M01")]
    assert "legal" in items[("module", "M03")]
    assert items[("provision", "LAO-PC-215")] == ("lao", "legal")
    assert ("provision", "TIPP-2") in items  # Lao summary still a draft


def test_matrix_shows_modules_with_too_few_lead_trainers(db):
    seed_demo(db)
    seed_qualifications(db)
    matrix = qualification_matrix(db)
    codes = {m.id: m.code for m in matrix.modules}
    leading = {codes[i]: n for i, n in matrix.leading.items()}
    for code in ("M02", "M03", "M04", "M05", "M06", "M08", "M09"):
        assert leading[code] >= 3, code
    short = [m.code for m in matrix.short_modules]
    assert short == [c for c, n in sorted(leading.items()) if n < 3]
    assert "M10" in short
    assert all(t.status == "active" for t in matrix.trainers)
    assert seed_qualifications(db) == 0  # idempotent


def _module(code: str, minutes: int, outcomes: dict[str, list[str]]) -> dict:
    return {
        "code": code,
        "content": {"duration_minutes": minutes, "learning_outcomes": outcomes},
    }


def _plan(code: str, language: str, minutes: int, objectives: list[str]) -> dict:
    return {
        "kind": "plan",
        "module": code,
        "language": language,
        "duration_minutes": minutes,
        "objectives": objectives,
    }


def test_plan_coverage_lists_missing_minutes_and_outcomes_per_language():
    module = _module(
        "M09",
        180,
        {"en": ["Explain laundering.", "Trace assets."], "lo": ["ອະທິບາຍ.", "ຕິດຕາມ."]},
    )
    plans = [
        _plan("M09", "en", 90, ["explain  laundering"]),  # case and spacing do not matter
        _plan("M09", "en", 90, ["Trace assets.", "Something else."]),
        _plan("M09", "lo", 90, ["ອະທິບາຍ."]),
        _plan("M08", "lo", 90, ["ຕິດຕາມ."]),  # another module's plan counts for nothing
    ]
    assert plan_coverage_gaps([module], plans) == [
        "M09 (lo): its plans cover 90 of 180 minutes",
        "M09 (lo): no plan serves outcome 2",
    ]
    plans.append(_plan("M09", "lo", 90, ["ຕິດຕາມ."]))
    assert plan_coverage_gaps([module], plans) == []


def test_the_import_refuses_a_curriculum_whose_plans_leave_part_of_a_module_out(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    # M09's Lao plan on compensation goes: outcome 4 and 90 minutes of M09 are left out
    (folder / "lesson-plans" / "m09-lo-compensation-from-assets-90.yaml").unlink()
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "m09-related-crimes.md",
            "M09 (lo): its plans cover 90 of 180 minutes (lesson plans missing)",
        ),
        ("m09-related-crimes.md", "M09 (lo): no plan serves outcome 4 (lesson plans missing)"),
    ]
    assert (
        plan_coverage_gaps(
            read_curriculum(CURRICULUM).modules, read_curriculum(CURRICULUM).lesson_plans
        )
        == []
    )


# -- one Lao term per concept ---------------------------------------------------------------


def test_the_terminology_check_names_the_wrong_variant_and_the_glossarys_term():
    rules = term_rules(
        [
            {"term": {"en": "seizure", "lo": "ການຍຶດ"}, "avoid": ["ຢຶດ"]},
            {
                "term": {"en": "mutual legal assistance", "lo": "ການຊ່ວຍເຫຼືອເຊິ່ງກັນ ແລະ ກັນທາງອາຍາ"},
                "avoid": ["ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ"],
            },
            {
                "term": {"en": "legal aid", "lo": "ການຊ່ວຍເຫຼືອທາງດ້ານກົດໝາຍ"},
                "avoid": ["ການຊ່ວຍເຫຼືອທາງກົດໝາຍ"],
            },
        ]
    )
    assert lao_terminology_problems("ຕຳຫຼວດໄດ້ຍຶດໂທລະສັບ ແລະ ເອກະສານ.", rules) == []
    assert lao_terminology_problems("ຕຳຫຼວດໄດ້ຢຶດໂທລະສັບ.", rules) == [
        "'ຢຶດ' for 'seizure': the glossary's Lao term is 'ການຍຶດ'"
    ]
    # the MLA variant holds the legal-aid variant: only the longer one is named
    assert lao_terminology_problems("ຄຳຮ້ອງຂໍການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ ແລະ ກັນ", rules) == [
        "'ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ' for 'mutual legal assistance': the glossary's Lao term"
        " is 'ການຊ່ວຍເຫຼືອເຊິ່ງກັນ ແລະ ກັນທາງອາຍາ'"
    ]
    assert lao_terminology_problems("ທະນາຍຄວາມໃຫ້ການຊ່ວຍເຫຼືອທາງດ້ານກົດໝາຍ", rules) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ແມ່\u0e99\u0ecd\u0ec9\u0eb2ຂອງ", "write the vowel ຳ after the tone mark"),  # ນໍ້າ
        ("ຫລວງພະບາງ", "write the letter ຫຼ"),
        ("ຫນ່ວຍງານ", "write the letter ໜ"),
        ("ຫມາຍເຖິງ", "write the letter ໝ"),
        ("ກ\u0eb3", None),  # ກຳ, one code point: fine
        ("ຂ\u0ec9\u0eb8ມ", "not in Unicode NFC"),  # tone mark before the vowel below
    ],
)
def test_the_terminology_check_knows_the_scripts_own_spelling_rules(text, found):
    problems = lao_terminology_problems(text, [])
    if found is None:
        assert problems == []
    else:
        assert len(problems) == 1 and found in problems[0], problems


def test_the_import_refuses_a_wrong_lao_term_anywhere_and_names_the_line(tmp_path):
    folder = _broken(
        tmp_path,
        "m08-international-cooperation.lo.md",
        "ການຊ່ວຍເຫຼືອເຊິ່ງກັນ ແລະ ກັນທາງອາຍາ",
        "ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ ແລະ ກັນ",
    )
    plan = folder / "lesson-plans" / "m09-lo-follow-the-money-90.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("ອາຍັດ", "ຢຶດ", 1), encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    problems = [(p.path, p.line, p.message.split(":")[0]) for p in info.value.problems]
    assert problems == [
        (
            "m08-international-cooperation.lo.md",
            _line_of(folder / "m08-international-cooperation.lo.md", "ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ"),
            "'ການຊ່ວຍເຫຼືອທາງກົດໝາຍເຊິ່ງກັນ' for 'mutual legal assistance'",
        ),
        (
            "lesson-plans/m09-lo-follow-the-money-90.yaml",
            _line_of(plan, "ຢຶດ"),
            "'ຢຶດ' for 'seizure'",
        ),
    ]


def test_the_glossary_may_list_the_variants_it_rules_out_and_nothing_else_may(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    glossary = (folder / "glossary.yaml").read_text(encoding="utf-8")
    assert "  - ຢຶດ\n" in glossary  # the seizure term lists the misspelling; that is no problem
    read_curriculum(folder)
    # a variant in a definition is a problem, even in the glossary
    (folder / "glossary.yaml").write_text(
        glossary.replace("ການຍຶດຊັບສິນ", "ການຢຶດຊັບສິນ", 1), encoding="utf-8"
    )
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    assert [(p.path, p.message.split(":")[0]) for p in info.value.problems] == [
        ("glossary.yaml", "'ຢຶດ' for 'seizure'")
    ]


def test_a_plan_template_without_its_lao_version_is_refused(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    (folder / "lesson-plans" / "t-lo-refresher-20.yaml").unlink()
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    assert [p.message for p in info.value.problems] == [
        "template t-en-refresher-20 has no 'lo' version (t-lo-refresher-20)"
    ]


def test_a_programme_whose_lao_outline_leaves_out_a_plan_is_refused(tmp_path):
    folder = _broken(tmp_path, "programmes.yaml", "    - m01-lo-three-elements-90\n", "")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "programmes.yaml",
            "the Lao outline lacks m01-lo-three-elements-90 (the Lao versions of its English plans)",
        )
    ]

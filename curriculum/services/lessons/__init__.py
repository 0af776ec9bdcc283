"""Lesson plans: create, build, version, fork, review, browse, import and export.

One module per part: :mod:`.plans` (a plan's content: read, checked, written, created,
saved, versioned, forked), :mod:`.access` (who may do what), :mod:`.review` (status
changes, comments, what waits for whom), :mod:`.methods` (teaching methods),
:mod:`.library` (lists, versions, comparisons) and :mod:`.files` (the curriculum files).
Callers use the names below: ``lessons.create_plan(db, actor, ...)``.
"""

from __future__ import annotations

from ...models.lessons import MAX_ACTIVITIES, MAX_OBJECTIVES
from .access import (
    can_edit,
    can_start_version,
    is_author,
    is_master_trainer,
    require_edit,
    standing,
)
from .files import (
    export_lesson_plans,
    file_data,
    import_lesson_plans,
    is_empty,
)
from .library import (
    SORTS,
    PlanFilters,
    compare_plans,
    list_plans,
    list_versions,
    page_plans,
    plan_authors,
)
from .methods import (
    METHOD_FIELDS,
    list_methods,
    save_method,
)
from .plans import (
    ACTIVITY_FIELDS,
    ACTIVITY_TEXT_FIELDS,
    AUDIT_FIELDS,
    DEFAULT_DURATION,
    STARTS,
    TEXT_FIELDS,
    check_activity_count,
    clean_data,
    create_plan,
    data_problems,
    fork_count,
    fork_plan,
    get_plan,
    latest_versions,
    list_templates,
    new_activity,
    newer_version,
    plan_data,
    plan_problems,
    save_plan,
    start_new_version,
    steps_of,
    write_content,
)
from .review import (
    WaitingItem,
    add_comment,
    change_status,
    waiting_for,
)

__all__ = [
    "check_activity_count",
    "ACTIVITY_FIELDS",
    "ACTIVITY_TEXT_FIELDS",
    "AUDIT_FIELDS",
    "DEFAULT_DURATION",
    "MAX_ACTIVITIES",
    "MAX_OBJECTIVES",
    "METHOD_FIELDS",
    "PlanFilters",
    "SORTS",
    "STARTS",
    "TEXT_FIELDS",
    "WaitingItem",
    "add_comment",
    "can_edit",
    "can_start_version",
    "change_status",
    "clean_data",
    "compare_plans",
    "create_plan",
    "data_problems",
    "export_lesson_plans",
    "file_data",
    "fork_count",
    "fork_plan",
    "get_plan",
    "import_lesson_plans",
    "is_author",
    "is_empty",
    "is_master_trainer",
    "latest_versions",
    "list_methods",
    "list_plans",
    "list_templates",
    "list_versions",
    "new_activity",
    "newer_version",
    "page_plans",
    "plan_authors",
    "plan_data",
    "plan_problems",
    "require_edit",
    "save_method",
    "save_plan",
    "standing",
    "start_new_version",
    "steps_of",
    "waiting_for",
    "write_content",
]

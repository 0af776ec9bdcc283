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

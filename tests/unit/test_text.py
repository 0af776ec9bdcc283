from hypothesis import given
from hypothesis import strategies as st

from curriculum.text import check_name, fold, normalise


def test_fold_treats_lao_spelling_variants_alike():
    assert fold("ຫລວງພະບາງ") == fold("ຫຼວງພະບາງ")
    assert fold("ຄໍາ") == fold("ຄຳ")
    assert fold("ໜອງ") == fold("ຫນອງ")
    assert fold("໒໐໐໙") == "2009"
    assert fold("  BOUNMY  Phommachanh ") == "bounmy phommachanh"


def test_normalise_removes_zero_width_spaces_and_composes():
    assert normalise("ສົມ\u200bພອນ") == "ສົມພອນ"
    assert normalise("Cafe\u0301") == "Café"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_check_name_rules():
    assert check_name("  Bounmy ")[0] == "Bounmy"
    assert check_name("")[1] is not None
    assert check_name("", required=False)[1] is None
    assert "100" in str(check_name("x" * 10_000)[1])
    assert check_name("<script>alert(1)</script>")[1] is not None
    assert check_name("a\x07b")[1] is not None
    assert check_name("ບຸນມີ")[1] is None

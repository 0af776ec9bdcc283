import pytest
from sqlalchemy import func, select

from curriculum.errors import ValidationError
from curriculum.models import Institution, Province
from curriculum.seed.reference import seed_reference
from curriculum.services import reference
from tests.conftest import make_trainer, make_user


def test_eighteen_divisions_with_lao_names(db):
    provinces = reference.list_provinces(db)
    assert len(provinces) == 18
    assert {p.code for p in provinces} >= {
        "LA-VT",
        "LA-XS",
        "LA-CH",
        "LA-HO",
        "LA-BK",
        "LA-XI",
        "LA-VI",
    }
    assert all(any("\u0e80" <= ch <= "\u0eff" for ch in p.name_lo) for p in provinces)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Champasack", "LA-CH"),
        ("champassak province", "LA-CH"),
        ("Xieng Khouang", "LA-XI"),
        ("XIANGKHOUANG", "LA-XI"),
        ("Houaphanh", "LA-HO"),
        ("Vientiane Capital", "LA-VT"),
        ("Vientiane Province", "LA-VI"),
        ("ຫລວງພະບາງ", "LA-LP"),
        ("LA-BK", "LA-BK"),
        ("bk", "LA-BK"),
        ("Sayaboury", "LA-XA"),
    ],
)
def test_find_province_loosely(db, text, code):
    assert reference.find_province(db, text).code == code


def test_ambiguous_or_unknown_names_match_nothing(db):
    assert reference.find_province(db, "Vientiane") is None
    assert reference.find_province(db, "Atlantis") is None
    assert reference.find_province(db, "") is None


def test_seeding_again_adds_nothing_and_keeps_edits(db):
    admin = make_user(db, "admin")
    vt = db.scalar(select(Province).where(Province.code == "LA-VT"))
    reference.update_province(
        db,
        admin,
        vt.id,
        {"name_en": "Vientiane Capital City", "name_lo": vt.name_lo, "alt_names": ["VTE"]},
    )
    assert seed_reference(db) == {
        "provinces": 0,
        "institutions": 0,
        "methods": 0,
        "travel_times": 0,
    }
    assert db.get(Province, vt.id).name_en == "Vientiane Capital City"


def test_institution_rules(db):
    admin = make_user(db, "admin")
    values = {
        "short_name": "CH-PC",
        "name_en": "Champasak Provincial Court",
        "name_lo": "ສານປະຊາຊົນແຂວງຈຳປາສັກ",
        "kind": "court",
        "level": "provincial",
        "province": "",
    }
    with pytest.raises(ValidationError) as info:
        reference.create_institution(db, admin, values)
    assert "province" in info.value.errors
    created = reference.create_institution(db, admin, {**values, "province": "LA-CH"})
    with pytest.raises(ValidationError) as info:
        reference.create_institution(db, admin, {**values, "province": "LA-CH", "short_name": "X"})
    assert "name_en" in info.value.errors
    make_trainer(db, institution=created)
    with pytest.raises(ValidationError):
        reference.delete_institution(db, admin, created.id)
    assert (
        db.scalar(select(func.count()).select_from(Institution).where(Institution.id == created.id))
        == 1
    )

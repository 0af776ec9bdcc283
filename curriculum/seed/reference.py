"""The divisions of Lao PDR and the institutions of the programme."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Institution, Method, Province

# ISO 3166-2:LA: 17 provinces and the capital, with spellings met on lists and forms.
PROVINCES = [
    ("LA-AT", "Attapeu", "ອັດຕະປື", ["Attapu", "Attopeu", "Attapue"]),
    ("LA-BK", "Bokeo", "ບໍ່ແກ້ວ", ["Bo Keo", "Borkeo"]),
    (
        "LA-BL",
        "Bolikhamxai",
        "ບໍລິຄຳໄຊ",
        ["Bolikhamsai", "Borikhamxay", "Bolikhamxay", "Borikhamsay", "Borikhane"],
    ),
    (
        "LA-CH",
        "Champasak",
        "ຈຳປາສັກ",
        ["Champasack", "Champassak", "Champassack", "Champasak Province"],
    ),
    ("LA-HO", "Houaphan", "ຫົວພັນ", ["Houaphanh", "Huaphan", "Hua Phan", "Houaphane"]),
    ("LA-KH", "Khammouan", "ຄຳມ່ວນ", ["Khammouane", "Khammuan", "Khamouane"]),
    ("LA-LM", "Luang Namtha", "ຫຼວງນ້ຳທາ", ["Louang Namtha", "Luangnamtha", "Luang Nam Tha"]),
    (
        "LA-LP",
        "Luang Prabang",
        "ຫຼວງພະບາງ",
        ["Louangphabang", "Luang Phabang", "Louang Prabang", "Luangprabang"],
    ),
    ("LA-OU", "Oudomxai", "ອຸດົມໄຊ", ["Oudomxay", "Udomxai", "Oudomsay", "Oudom Xay"]),
    ("LA-PH", "Phongsali", "ຜົ້ງສາລີ", ["Phongsaly", "Phong Saly"]),
    ("LA-SL", "Salavan", "ສາລະວັນ", ["Saravane", "Saravan", "Salavane", "Saravanh"]),
    ("LA-SV", "Savannakhet", "ສະຫວັນນະເຂດ", ["Savanakhet", "Savannakhét", "Suvannakhet"]),
    (
        "LA-VI",
        "Vientiane Province",
        "ແຂວງວຽງຈັນ",
        ["Vientiane Prov.", "Viangchan Province", "Vientiane Provincial"],
    ),
    (
        "LA-VT",
        "Vientiane Capital",
        "ນະຄອນຫຼວງວຽງຈັນ",
        [
            "Vientiane Prefecture",
            "Vientiane Municipality",
            "Vientiane City",
            "Nakhone Luang Vientiane",
            "Viangchan Capital",
        ],
    ),
    (
        "LA-XA",
        "Xaignabouli",
        "ໄຊຍະບູລີ",
        ["Sainyabuli", "Sayaboury", "Xayabury", "Xayaboury", "Sayabouly", "Xayaburi"],
    ),
    ("LA-XE", "Xekong", "ເຊກອງ", ["Sekong", "Xe Kong"]),
    (
        "LA-XI",
        "Xiangkhouang",
        "ຊຽງຂວາງ",
        ["Xieng Khouang", "Xiengkhouang", "Xiang Khouang", "Xieng Khuang"],
    ),
    ("LA-XS", "Xaisomboun", "ໄຊສົມບູນ", ["Saysomboun", "Xaysomboun", "Xaysomboune", "Saisomboun"]),
]

# short name, English, Lao (to be checked by a Lao reader before printing), kind
INSTITUTIONS = [
    ("PSC", "People's Supreme Court", "ສານປະຊາຊົນສູງສຸດ", "court"),
    ("OSPP", "Office of the Supreme People's Prosecutor", "ອົງການໄອຍະການປະຊາຊົນສູງສຸດ", "prosecution"),
    ("MPS", "Ministry of Public Security", "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ", "police"),
    ("MOJ", "Ministry of Justice", "ກະຊວງຍຸຕິທຳ", "ministry"),
    ("MOFA", "Ministry of Foreign Affairs", "ກະຊວງການຕ່າງປະເທດ", "ministry"),
    ("LBA", "Lao Bar Association", "ສະມາຄົມທະນາຍຄວາມລາວ", "bar"),
    (
        "FLP",
        "Faculty of Law and Political Science, National University of Laos",
        "ຄະນະນິຕິສາດ ແລະ ລັດຖະສາດ, ມະຫາວິທະຍາໄລແຫ່ງຊາດ",
        "university",
    ),
    ("LWU", "Lao Women's Union", "ສະຫະພັນແມ່ຍິງລາວ", "mass_organisation"),
    ("MOLSW", "Ministry of Labour and Social Welfare", "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ", "ministry"),
    ("VFI", "Village Focus International", "ອົງການ ວິລເລດ ໂຟກັສ ອິນເຕີເນຊັນແນລ", "ngo"),
]
# Teaching methods: code, English, Lao, participatory, counts as lecture.
METHODS = [
    ("presentation", "Presentation", "ການບັນຍາຍ", False, True),
    ("plenary", "Plenary discussion", "ການສົນທະນາລວມ", True, False),
    ("group_work", "Group work", "ວຽກກຸ່ມ", True, False),
    ("case_study", "Case study", "ກໍລະນີສຶກສາ", True, False),
    ("role_play", "Role play", "ການສະແດງບົດບາດສົມມຸດ", True, False),
    ("brainstorm", "Brainstorm", "ການລະດົມຄວາມຄິດ", True, False),
    ("qa", "Questions and answers", "ຖາມ-ຕອບ", True, False),
    ("quiz", "Quiz", "ແບບທົດສອບ", True, False),
    ("energizer", "Energizer", "ກິດຈະກຳກະຕຸ້ນ", True, False),
    ("video", "Video", "ວິດີໂອ", False, False),
    ("field_exercise", "Field exercise", "ການຝຶກພາກສະໜາມ", True, False),
]

CTG_INSTITUTIONS = ("PSC", "OSPP", "MPS", "MOJ", "MOFA", "LBA", "FLP")


def seed_reference(db: Session) -> dict[str, int]:
    """Add the provinces and institutions that are missing; never overwrite an admin's edits."""
    added = {"provinces": 0, "institutions": 0, "methods": 0}
    known = set(db.scalars(select(Province.code)))
    for code, name_en, name_lo, alt_names in PROVINCES:
        if code not in known:
            db.add(Province(code=code, name_en=name_en, name_lo=name_lo, alt_names=alt_names))
            added["provinces"] += 1
    known_institutions = {i.name_en: i for i in db.scalars(select(Institution))}
    for short, name_en, name_lo, kind in INSTITUTIONS:
        existing = known_institutions.get(name_en)
        if existing is not None and not existing.name_lo and name_lo:
            existing.name_lo = name_lo  # a Lao name added since: fill it, never overwrite
        if existing is None:
            db.add(
                Institution(
                    short_name=short, name_en=name_en, name_lo=name_lo, kind=kind, level="central"
                )
            )
            added["institutions"] += 1
    added["methods"] = seed_methods(db)
    db.flush()
    return added


def seed_methods(db: Session) -> int:
    """Add the shipped teaching methods that are missing (an admin's edits are kept)."""
    known = set(db.scalars(select(Method.code)))
    added = 0
    for position, (code, name_en, name_lo, participatory, lecture) in enumerate(METHODS):
        if code not in known:
            db.add(
                Method(
                    code=code,
                    name_en=name_en,
                    name_lo=name_lo,
                    participatory=participatory,
                    lecture=lecture,
                    position=position,
                )
            )
            added += 1
    db.flush()
    return added

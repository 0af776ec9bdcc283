"""Road times between provinces on the admin pages, and what the pickers and the workshop
page make of them."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from curriculum.models import TravelTime
from curriculum.services.travel import travel_table
from tests.conftest import (
    add_session,
    make_qualification,
    make_trainer,
    make_user,
    make_workshop,
    province,
    sign_in,
)


def row(db, a: str, b: str) -> TravelTime:
    first, second = sorted((province(db, a).id, province(db, b).id))
    found = db.scalar(
        select(TravelTime).where(
            TravelTime.province_a_id == first, TravelTime.province_b_id == second
        )
    )
    assert found is not None
    db.refresh(found)
    return found


@pytest.fixture
def admin(client, db):
    user = make_user(db, "admin")
    db.commit()
    sign_in(client, user)
    return user


def form_for(db, page: str) -> dict[str, str]:
    """What the browser would send back for the road times page as it was opened."""
    from tests.web.browser_form import form_values

    return dict(form_values(page, "hours_*").items())


def test_every_pair_of_provinces_starts_with_an_estimate(db):
    table = travel_table(db)
    vt, lp, vi = (province(db, c).id for c in ("LA-VT", "LA-LP", "LA-VI"))
    assert len(table.between) == 18 * 17 // 2
    assert table.minutes(vt, lp) == table.minutes(lp, vt) and 4 * 60 <= table.minutes(vt, lp)
    assert table.minutes(vt, vi) < table.minutes(vt, lp)
    assert table.minutes(vt, vt) == 0


def test_an_admin_sets_and_confirms_road_times(client, db, admin):
    vt = province(db, "LA-VT")
    lp, vi = province(db, "LA-LP"), province(db, "LA-VI")
    listing = client.get("/admin/travel").get_data(as_text=True)
    assert f"/admin/travel/{vt.id}" in listing and ">17<" in listing  # 17 estimates each
    page = client.get(f"/admin/travel/{vt.id}").get_data(as_text=True)
    estimate = row(db, "LA-VT", "LA-VI").minutes
    assert f'value="{estimate // 60}:{estimate % 60:02d}"' in page
    sent = form_for(db, page)
    sent.update({f"hours_{lp.id}": "7,5", "confirm": str(vi.id)})
    response = client.post(f"/admin/travel/{vt.id}", data=sent)
    assert response.status_code == 302
    assert "2 road times saved." in html.unescape(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )
    assert (row(db, "LA-VT", "LA-LP").minutes, row(db, "LA-VT", "LA-LP").estimated) == (450, False)
    assert (row(db, "LA-VT", "LA-VI").minutes, row(db, "LA-VT", "LA-VI").estimated) == (
        estimate,
        False,
    )
    assert row(db, "LA-VT", "LA-CH").estimated  # sent back unchanged: still an estimate
    # the other province's page shows the same road
    assert 'value="7:30"' in client.get(f"/admin/travel/{lp.id}").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["abc", "0", "49", "-3", "6:75", "7.30"])
def test_a_bad_road_time_is_refused_beside_its_field_and_nothing_is_saved(client, db, admin, typed):
    vt, lp, ch = province(db, "LA-VT"), province(db, "LA-LP"), province(db, "LA-CH")
    before = row(db, "LA-VT", "LA-CH").minutes
    sent = form_for(db, client.get(f"/admin/travel/{vt.id}").get_data(as_text=True))
    sent.update({f"hours_{lp.id}": typed, f"hours_{ch.id}": "11", "confirm": str(ch.id)})
    response = client.post(f"/admin/travel/{vt.id}", data=sent)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert f'name="confirm" value="{ch.id}" checked' in body  # the ticked box stays ticked
    assert f'id="hours_{lp.id}-error">Give the hours of the trip' in body
    assert f'value="{typed}"' in body  # what was typed stays on the form
    assert row(db, "LA-VT", "LA-CH").minutes == before


def test_road_times_changed_by_someone_else_meanwhile_are_not_overwritten(client, db, admin):
    vt, lp = province(db, "LA-VT"), province(db, "LA-LP")
    sent = form_for(db, client.get(f"/admin/travel/{vt.id}").get_data(as_text=True))
    other = row(db, "LA-VT", "LA-LP")
    other.minutes = 400
    db.commit()
    sent[f"hours_{lp.id}"] = "9"
    response = client.post(f"/admin/travel/{vt.id}", data=sent)
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    assert "Someone else changed these road times" in body
    assert row(db, "LA-VT", "LA-LP").minutes == 400
    # the page now shows what is saved, so saving it again keeps the other admin's time
    again = form_for(db, body)
    assert again[f"hours_{lp.id}"] == "6:40"
    assert client.post(f"/admin/travel/{vt.id}", data=again).status_code == 302
    assert row(db, "LA-VT", "LA-LP").minutes == 400


def test_only_admins_edit_road_times(client, db):
    sign_in(client, make_user(db, "coordinator"))
    db.commit()
    assert client.get("/admin/travel").status_code == 403
    assert client.post("/admin/travel/1", data={"hours_2": "5"}).status_code == 403


def test_the_picker_lists_trainers_based_in_the_province_first_with_their_road(client, db):
    coordinator = make_user(db, "coordinator")
    far = make_trainer(db, given_name_latin="Far", province_code="LA-CH")
    near = make_trainer(db, given_name_latin="Near", province_code="LA-LP")
    for t in (far, near):
        make_qualification(db, t, "M04")
    workshop = make_workshop(db, province_code="LA-LP")
    target = add_session(db, workshop, "08:30", "10:00")
    db.commit()
    sign_in(client, coordinator)
    page = html.unescape(
        client.get(f"/workshops/sessions/{target.id}/trainers").get_data(as_text=True)
    )
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert table.index("Near") < table.index("Far")
    road = travel_table(db).minutes(province(db, "LA-CH").id, province(db, "LA-LP").id)
    assert "Based here" in table and f"{road // 60}:{road % 60:02d} h" in table


def test_the_workshop_page_warns_of_a_trip_that_cannot_be_made_in_english_and_lao(client, db):
    coordinator = make_user(db, "coordinator")
    trainer = make_trainer(db, given_name_latin="Traveller")
    make_qualification(db, trainer, "M04")
    vientiane = make_workshop(db, province_code="LA-VT")
    luang_prabang = make_workshop(db, province_code="LA-LP")
    add_session(db, vientiane, "10:00", "12:00", trainers=[trainer])
    add_session(db, luang_prabang, "12:00", "13:30", trainers=[trainer])
    db.commit()
    sign_in(client, coordinator)
    page = html.unescape(client.get(f"/workshops/{luang_prabang.id}").get_data(as_text=True))
    assert "Traveller" in page and "cannot be in time: the road from Vientiane Capital" in page
    assert "booked twice" not in page
    coordinator.language = "lo"
    db.commit()
    page = html.unescape(client.get(f"/workshops/{luang_prabang.id}").get_data(as_text=True))
    assert "ໄປບໍ່ທັນ: ເສັ້ນທາງຈາກ ນະຄອນຫຼວງວຽງຈັນ ຫາ ຫຼວງພະບາງ" in page

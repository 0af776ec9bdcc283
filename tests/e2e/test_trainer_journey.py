"""A coordinator's first minutes: sign in, add a trainer with a Lao name, find them, read in Lao."""

import os
import re
import shutil

from playwright.sync_api import expect


def test_add_find_and_read_in_lao(browser, live_server, tmp_path):
    page = browser.new_page(viewport={"width": 1024, "height": 768})  # a tablet in landscape
    base = live_server["url"]
    try:
        page.goto(f"{base}/")
        expect(page).to_have_url(re.compile(r"/login"))
        page.get_by_label("Email address").fill("admin@ctg.example.org")
        page.get_by_label("Password").fill(live_server["password"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

        page.get_by_role("link", name="Trainers", exact=True).click()
        page.get_by_role("link", name="Add a trainer").click()
        page.get_by_label("Given name (Lao script)").fill("ວິໄລວັນ")
        page.get_by_label("Family name (Lao script)").fill("ສີສຸລາດ")
        page.get_by_label("Given name (Latin letters)").fill("Vilayvanh")
        page.get_by_label("Family name (Latin letters)").fill("Sisoulath")
        page.get_by_label("Female").check()
        page.get_by_label("Institution").select_option(label="MOJ – Ministry of Justice")
        page.get_by_label("Base province").select_option("LA-XI")
        page.get_by_label("Lao", exact=True).check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The trainer was added.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Vilayvanh Sisoulath")

        page.get_by_role("link", name="Trainers", exact=True).click()
        page.get_by_label("Name").fill("ສຸລາດ")  # part of the Lao family name, inside the word
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_text("1 trainer found")).to_be_visible()
        expect(page.get_by_role("cell", name="ວິໄລວັນ ສີສຸລາດ")).to_be_visible()
        page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

        page.get_by_role("button", name="ລາວ").click()
        expect(page.locator("html")).to_have_attribute("lang", "lo")
        expect(page.get_by_role("heading", level=1)).to_have_text("ຄູຝຶກ")
        expect(page.get_by_text("ພົບຄູຝຶກ 1 ຄົນ")).to_be_visible()  # the search is kept
        page.screenshot(path=str(tmp_path / "search-lo.png"), full_page=True)
        if os.environ.get("E2E_SCREENSHOTS"):
            for name in ("search.png", "search-lo.png"):
                shutil.copy(tmp_path / name, os.environ["E2E_SCREENSHOTS"])
    finally:
        page.close()

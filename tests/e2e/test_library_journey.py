"""A trainer opens a module, searches a Lao word, and downloads the Lao chapter as a PDF."""

import re

from playwright.sync_api import expect
from pypdf import PdfReader


def test_open_module_search_lao_and_download_lao_chapter(browser, live_server, tmp_path):
    page = browser.new_page(viewport={"width": 1024, "height": 768}, accept_downloads=True)
    base = live_server["url"]
    try:
        page.goto(f"{base}/login")
        page.get_by_label("Email address").fill("bounmy.p@ctg-demo.example")  # the demo trainer
        page.get_by_label("Password").fill(live_server["password"])
        page.get_by_role("button", name="Sign in").click()

        page.get_by_role("link", name="Library", exact=True).click()
        page.get_by_role("link", name=re.compile("Victim identification")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Victim identification")
        expect(page.get_by_role("navigation", name="Contents of the chapter")).to_be_visible()

        page.get_by_role("link", name="ລາວ", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("ການກຳນົດຕົວຜູ້ເຄາະຮ້າຍ")

        # A word written with the variant spelling, found inside an unspaced sentence.
        page.get_by_label("Search the library").fill("ຊ່ວຍເຫລືອທາງ")
        page.get_by_role("button", name="Search").click()
        result = page.locator(".results li").filter(has_text="M04").first
        expect(result).to_be_visible()
        expect(result.locator("mark")).to_have_text("ຊ່ວຍເຫຼືອທາງ")
        page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
        result.get_by_role("link").click()

        page.goto(f"{base}/library/modules/M04?lang=lo")
        with page.expect_download() as info:
            page.evaluate(
                "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
                " document.body.appendChild(a); a.click(); }",
                f"{base}/library/modules/M04/chapter.pdf?lang=lo&download=1",
            )
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert download.suggested_filename == "reference-guide-m04-lo.pdf"
        text = "".join(p.extract_text() for p in PdfReader(path).pages)
        assert "ຕົວຊີ້ບອກ" in text
    finally:
        page.close()

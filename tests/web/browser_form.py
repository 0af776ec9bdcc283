"""What a browser would send for a page's form: read from the HTML, then changed by the test
as a person would (tick a box, type in a cell) and posted. Grids and forms that carry
hidden versions and row stamps are posted with them, as from the page."""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[MultiDict, set[str]]] = []  # values sent, every field's name
        self.inside = False
        self.values: MultiDict = MultiDict()
        self.names: set[str] = set()
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.inside, self.values, self.names = True, MultiDict(), set()
            self.forms.append((self.values, self.names))
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if name and tag in ("input", "select", "textarea"):
            self.names.add(name)
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.values.add(name, a.get("value", ""))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a and not self.select_chosen:
                self.values.add(self.select, value)
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.values.add(self.select, self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values.add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_values(html: str, field: str) -> MultiDict:
    """The values sent by the form of ``html`` that has a field named ``field`` (or, with a
    trailing ``*``, a field whose name starts with it), as the form stands."""
    reader = _FormReader()
    reader.feed(html)
    prefix = field.removesuffix("*")
    for values, names in reader.forms:
        if any(n == field or (field.endswith("*") and n.startswith(prefix)) for n in names):
            return values
    raise AssertionError(f"no form with a field {field!r}")


def open_form(client, url: str, field: str) -> MultiDict:
    """GET ``url`` and return the values of its form with ``field``, to change and post."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return form_values(response.get_data(as_text=True), field)

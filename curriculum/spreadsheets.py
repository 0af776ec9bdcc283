"""Uploaded tables (CSV or XLSX) read within fixed bounds, before anything else sees them.

An XLSX file is a zip archive of XML parts. Its directory is checked first: how many
parts it holds, how large they say they are unpacked, and how far each one expands.
Then only the parts a table needs are read, as streams, by an XML parser that refuses
document type declarations (so no entity expansion): the relationships, the workbook
(which sheet comes first, which date system), the styles (which cells are dates), the
shared strings and the first sheet. Nothing the file says about itself is trusted (a
sheet's declared dimension is never read); every element, row, column, cell and
character is counted as it is read, and reading stops at the first bound passed, so
no file costs more to refuse than the largest list that is accepted costs to read.

A CSV file gets the same bounds on rows, columns, cell length and text.

The bounds, and why:

- ``MAX_COLUMNS``: 30 (A to AD). The template has 11 columns; lists kept elsewhere
  add a number, a district, an ID card, notes, a column per day, and 30 leaves room
  for all of them. A value beyond AD is refused by name; empty formatted cells there
  are ignored, whatever the sheet declares its dimension to be.
- ``MAX_CELL``: 500 characters, as typed. The longest field kept for a participant
  is an email address (254); an institution's or a position's name fits in 200.
- ``MAX_TEXT``: 10 million characters in the table, twice what a 5 MB CSV file can
  hold; 20,000 rows of the template's columns hold about 3 million. It bounds a shared
  string used again and again (one of 500 characters in 600,000 cells is 300 million).
- ``MAX_UNPACKED``: 50 MB for all parts together. 20,000 rows saved by openpyxl
  unpack to 10 MB (11 columns) or 39 MB (30 columns).
- ``MAX_RATIO``: 100, for a part over 1 MB (a smaller one cannot hurt). Real sheets
  expand 6 to 21 times (20,000 identical rows: 14; empty formatted rows: 21);
  deflate reaches 1,000 on repeated filler.
- ``MAX_PARTS``: 1,000. A workbook has about 10 parts, and a few more per sheet,
  chart or picture.
- ``MAX_SHARED``: 300,000 shared strings: 20,000 rows of 15 different texts each.
- elements: (3 x ``MAX_COLUMNS`` + 1) x (``max_rows`` + 1), 1.82 million for 20,000
  rows: what openpyxl writes for a full table (a row, then c, is and t for each cell;
  Excel writes c and v, and two per shared string). Counted over every part read:
  first unparsed (a part with more tags than the budget has left is refused in a
  tenth of a second), then element by element (about a microsecond each).
- ``MAX_TOKEN``: 256 KiB of XML between a ``<`` and a ``>``. Excel's longest cell
  (32,767 characters) fits; a longer piece would be held whole by the parser (an
  attribute of 40 MiB kept openpyxl busy for more than 20 seconds).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from .errors import ValidationError
from .i18n import _
from .text import normalise

MIB = 1024 * 1024
MAX_COLUMNS = 30
MAX_CELL = 500
MAX_TEXT = 10_000_000
MAX_UNPACKED = 50 * MIB
MAX_RATIO = 100
RATIO_FROM = 1 * MIB
MAX_PARTS = 1_000
MAX_SHARED = 300_000
MAX_SHEETS = 100  # a workbook listing more sheets than that is not a list of people
ELEMENTS_PER_CELL = 3
MAX_TOKEN = 256 * 1024
# The longest CSV line a row within the bounds can take: every cell quoted, every
# character a doubled quote, a separator after each.
MAX_LINE = MAX_COLUMNS * (2 * MAX_CELL + 3)
CHUNK = 64 * 1024
_DIRECTORY_ENTRY = b"PK\x01\x02"


def _refuse(message) -> ValidationError:
    return ValidationError({"file": [message]})


def _unreadable() -> ValidationError:
    return _refuse(
        _("This file could not be read as an Excel workbook: save it again as .xlsx or CSV.")
    )


def cell_text(value) -> str:
    """A cell's value as the text of the table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return normalise(str(value))


def _too_long(reference: str) -> ValidationError:
    return _refuse(
        _(
            "Cell %(cell)s holds more than %(max)d characters, more than any field of a "
            "participant needs: shorten it.",
            cell=reference,
            max=MAX_CELL,
        )
    )


def _too_far(reference: str) -> ValidationError:
    last = get_column_letter(MAX_COLUMNS)
    return _refuse(
        _(
            "Cell %(cell)s is beyond column %(last)s: a list may have at most %(max)d "
            "columns. Delete the columns after %(last)s.",
            cell=reference,
            last=last,
            max=MAX_COLUMNS,
        )
    )


def _too_much_text() -> ValidationError:
    return _refuse(
        _(
            "The list holds more than %(max)d million characters of text: split it into "
            "several files.",
            max=MAX_TEXT // 1_000_000,
        )
    )


class _Table:
    """The non-empty rows read so far, counted against the bounds as they come."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.rows: list[list[str]] = []
        self.text = 0

    def add(self, row: list[str]) -> None:
        if not any(row):
            return
        self.text += sum(map(len, row))
        if self.text > MAX_TEXT:
            raise _too_much_text()
        self.rows.append(row)
        if len(self.rows) > self.max_rows + 1:
            raise _refuse(_("The file has more than %(max)d rows.", max=self.max_rows))


# -- CSV ---------------------------------------------------------------------------------------


def _lines(text: str) -> Iterator[str]:
    # Lines end with \n, \r\n or \r alone (CSV saved by Excel for Mac); kept as read.
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE:
            raise _refuse(
                _(
                    "Line %(line)d of the file is longer than a row of a list can be "
                    "(%(columns)d columns of at most %(chars)d characters): check that the "
                    "file is a participant list.",
                    line=number,
                    columns=MAX_COLUMNS,
                    chars=MAX_CELL,
                )
            )
        yield line


def read_csv(data: bytes, max_rows: int) -> list[list[str]]:
    """The non-empty rows of a CSV file (UTF-8, or UTF-16 with its mark) as text."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(_("This file is not a spreadsheet: upload a CSV or an .xlsx file."))
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(
            _("This file is not a spreadsheet in UTF-8: save it as “CSV UTF-8” or as .xlsx.")
        )
    if any(ch in text[:4096] for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08"):
        raise _refuse(_("This file is not a spreadsheet: upload a CSV or an .xlsx file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = _Table(max_rows)
    try:
        for number, cells in enumerate(csv.reader(_lines(text), dialect), start=1):
            while cells and not cells[-1].strip():  # spreadsheets pad rows with separators
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                column = next(i for i in range(MAX_COLUMNS, len(cells)) if cells[i].strip())
                raise _too_far(f"{get_column_letter(column + 1)}{number}")
            if cells and max(map(len, cells)) > MAX_CELL:
                column = next(i for i, cell in enumerate(cells) if len(cell) > MAX_CELL)
                raise _too_long(f"{get_column_letter(column + 1)}{number}")
            table.add([normalise(c) for c in cells])
    except csv.Error as exc:
        raise _refuse(_("This CSV file is malformed: %(problem)s.", problem=str(exc))) from exc
    return table.rows


# -- XLSX --------------------------------------------------------------------------------------


def _open_archive(data: bytes) -> zipfile.ZipFile:
    """The archive, once its directory shows nothing larger than a list can be."""
    # Every entry zipfile would read from the directory starts with this signature, so
    # counting it bounds the entries before zipfile builds an object for each of them.
    if data.count(_DIRECTORY_ENTRY) > MAX_PARTS:
        raise _refuse(
            _(
                "This workbook holds more than %(max)d files inside it, more than a list can "
                "need: copy the list into a new workbook, or save it as CSV.",
                max=MAX_PARTS,
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _unreadable() from exc
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise _refuse(
            _(
                "This workbook unpacks to %(size)s MB, more than the %(max)d MB a list can "
                "need: delete other sheets and pictures, or save the list as CSV.",
                size=f"{unpacked / MIB:.0f}",
                max=MAX_UNPACKED // MIB,
            )
        )
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            raise _refuse(
                _(
                    "This workbook is packed far more tightly than a spreadsheet can be, so "
                    "it is not opened: save the list again as .xlsx or CSV."
                )
            )
    return archive


class _Stop(Exception):
    """Everything needed from a part has been read."""


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _attribute(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by its local name, in whatever namespace (``r:id``)."""
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


class _Handler:
    """Receives one part's elements; every element is charged to the read's budget."""

    def __init__(self, reading: _Reading) -> None:
        self.reading = reading

    def start(self, name: str, attrs: dict[str, str]) -> None:
        reading = self.reading
        reading.elements -= 1
        if reading.elements < 0:
            raise reading.too_many_elements()
        self.open(_local(name), attrs)

    def open(self, local: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, name: str) -> None:
        self.close(_local(name))

    def close(self, local: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _Relationships(_Handler):
    def __init__(self, reading: _Reading, folder: str) -> None:
        super().__init__(reading)
        self.folder = folder
        self.by_id: dict[str, tuple[str, str]] = {}

    def open(self, local: str, attrs: dict[str, str]) -> None:
        if local != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        if target.startswith("/"):
            path = target[1:]
        else:
            path = posixpath.normpath(posixpath.join(self.folder, target))
        kind = attrs.get("Type", "").rpartition("/")[2]
        self.by_id[attrs.get("Id", "")] = (kind, path)

    def first(self, kind: str) -> str | None:
        return next((path for k, path in self.by_id.values() if k == kind), None)


class _WorkbookPart(_Handler):
    """The date system, and the worksheets (not charts) by name, in the workbook's order."""

    def __init__(self, reading: _Reading, relationships: _Relationships) -> None:
        super().__init__(reading)
        self.relationships = relationships
        self.date1904 = False
        self.sheets: list[tuple[str, str]] = []

    def open(self, local: str, attrs: dict[str, str]) -> None:
        if local == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif local == "sheet":
            kind, path = self.relationships.by_id.get(_attribute(attrs, "id") or "", ("", ""))
            if kind == "worksheet":
                self.sheets.append((attrs.get("name", ""), path))


class _Styles(_Handler):
    """Which cell formats show a number as a date, or as a duration."""

    def __init__(self, reading: _Reading) -> None:
        super().__init__(reading)
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_formats = False

    def open(self, local: str, attrs: dict[str, str]) -> None:
        if local == "numFmt":
            self.custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            self.in_cell_formats = True
        elif local == "xf" and self.in_cell_formats:
            self.formats.append(int(attrs.get("numFmtId", "0")))

    def close(self, local: str) -> None:
        if local == "cellXfs":
            raise _Stop

    def kinds(self) -> tuple[set[int], set[int]]:
        dates, durations = set(), set()
        for style, number_format in enumerate(self.formats):
            code = self.custom.get(number_format) or builtin_format_code(number_format)
            if is_date_format(code):
                dates.add(style)
            if is_timedelta_format(code):
                durations.add(style)
        return dates, durations


class _SharedStrings(_Handler):
    """The workbook's shared strings; each is kept to one character over ``MAX_CELL``,
    enough to tell a cell that uses it that it is too long."""

    def __init__(self, reading: _Reading) -> None:
        super().__init__(reading)
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.length = 0
        self.kept = 0
        self.phonetic = 0
        self.capture = False

    def open(self, local: str, attrs: dict[str, str]) -> None:
        if local == "si":
            self.parts, self.length = [], 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t":
            self.capture = not self.phonetic

    def text(self, data: str) -> None:
        if self.capture and self.length <= MAX_CELL:
            self.parts.append(data[: MAX_CELL + 1 - self.length])
            self.length += len(self.parts[-1])

    def close(self, local: str) -> None:
        if local == "t":
            self.capture = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si":
            self.strings.append("".join(self.parts))
            self.kept += self.length
            if self.kept > MAX_TEXT:
                raise _too_much_text()
            if len(self.strings) > MAX_SHARED:
                raise _refuse(
                    _(
                        "This workbook holds more than %(max)d different texts, more than a "
                        "list can use: copy the list into a new workbook, or save it as CSV.",
                        max=MAX_SHARED,
                    )
                )


class _Cell:
    __slots__ = ("column", "row", "kind", "style", "value", "formula", "inline", "shared")

    def __init__(self, column: int, row: int, kind: str, style: str | None) -> None:
        self.column = column
        self.row = row
        self.kind = kind
        self.style = style
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.inline: list[str] | None = None
        self.shared: str | None = None  # the index of a shared formula

    @property
    def reference(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _column(reference: str) -> int:
    letters = reference.rstrip("0123456789").replace("$", "")
    if not 1 <= len(letters) <= 3:
        raise ValueError(f"not a cell: {reference[:20]}")
    return column_index_from_string(letters.upper())


class _Sheet(_Handler):
    """The rows of a worksheet, cell by cell. The most elements of any part pass through
    here, so the common ones (a cell, its value) are tested first."""

    def __init__(self, reading: _Reading, table: _Table) -> None:
        super().__init__(reading)
        self.table = table
        self.row = 0
        self.column = 0
        self.cells: dict[int, str] = {}
        self.cell: _Cell | None = None
        self.capture: list[str] | None = None
        self.captured = 0  # characters of the value, formula or inline string being read
        self.phonetic = 0
        self.formulas: dict[str, tuple[str, str]] = {}  # shared formula: (text, origin)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        reading = self.reading
        reading.elements -= 1
        if reading.elements < 0:
            raise reading.too_many_elements()
        local = name.rpartition(" ")[2]
        if local == "c":
            reference = attrs.get("r")
            self.column = _column(reference) if reference else self.column + 1
            self.cell = _Cell(self.column, self.row, attrs.get("t", "n"), attrs.get("s"))
            return
        cell = self.cell
        if cell is None:
            if local == "row":
                number = attrs.get("r")
                self.row = int(number) if number else self.row + 1
                self.column = 0
                self.cells = {}
        elif local == "v":
            cell.value = self.capture = []
            self.captured = 0
        elif local == "t":
            if cell.inline is not None and not self.phonetic:
                self.capture = cell.inline  # the runs of a rich text add up
        elif local == "is":
            cell.inline = []
            self.captured = 0
        elif local == "f":
            cell.formula = self.capture = []
            self.captured = 0
            if attrs.get("t") == "shared":
                cell.shared = attrs.get("si")
        elif local == "rPh":
            self.phonetic += 1

    def text(self, data: str) -> None:
        if self.capture is None or self.cell is None:
            return
        self.captured += len(data)
        if self.captured > MAX_CELL:
            raise _too_long(self.cell.reference)
        self.capture.append(data)

    def end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            cell = self.cell
            self.cell = None
            if cell is None or (
                cell.value is None and cell.formula is None and cell.inline is None
            ):
                return  # an empty cell, perhaps formatted
            text = cell_text(self._value(cell))
            if text:
                if cell.column > MAX_COLUMNS:
                    raise _too_far(cell.reference)
                self.cells[cell.column] = text
        elif local in ("v", "t", "f"):
            self.capture = None
        elif local == "row":
            if self.cells:
                row = [""] * max(self.cells)
                for column, text in self.cells.items():
                    row[column - 1] = text
                self.table.add(row)
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "sheetData":
            raise _Stop

    def _value(self, cell: _Cell):
        """The value as openpyxl gives it (``load_workbook(data_only=False)``)."""
        if cell.formula is not None:
            return self._formula(cell)
        if cell.kind == "inlineStr":
            return "".join(cell.inline) if cell.inline is not None else None
        raw = "".join(cell.value) if cell.value is not None else ""
        if not raw:
            return None
        if cell.kind == "s":
            index = int(raw)
            if index < 0:
                raise ValueError(f"no shared string {index}")
            text = self.reading.shared[index]
            if len(text) > MAX_CELL:
                raise _too_long(cell.reference)
            return text
        if cell.kind == "b":
            return bool(int(raw))
        if cell.kind == "d":
            return from_ISO8601(raw)
        if cell.kind != "n":  # "str" (a formula's text result), "e" (an error such as #N/A)
            return raw
        number = _number(raw)
        style = int(cell.style or 0)
        if style in self.reading.dates:
            try:
                return from_excel(
                    number, self.reading.epoch, timedelta=style in self.reading.durations
                )
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number

    def _formula(self, cell: _Cell) -> str:
        """A formula as its text (the value it showed is not what was typed); a cell that
        shares another's formula gets it moved to its own place, as Excel shows it."""
        text = "=" + "".join(cell.formula or ())
        if cell.shared is None:
            return text
        if text != "=":
            self.formulas[cell.shared] = (text, cell.reference)
            return text
        if cell.shared not in self.formulas:
            return text
        formula, origin = self.formulas[cell.shared]
        try:
            return Translator(formula, origin=origin).translate_formula(cell.reference)
        except (TokenizerError, TranslatorError, ValueError):
            return text


class _Reading:
    """One read of a workbook: its archive, what its parts say, and the element budget."""

    def __init__(self, archive: zipfile.ZipFile, max_rows: int) -> None:
        self.archive = archive
        self.max_rows = max_rows
        self.elements = (ELEMENTS_PER_CELL * MAX_COLUMNS + 1) * (max_rows + 1)
        self.shared: list[str] = []
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        self.epoch = WINDOWS_EPOCH

    def too_many_elements(self) -> ValidationError:
        return _refuse(
            _(
                "This workbook has more cells than a list of %(rows)d rows and %(columns)d "
                "columns (empty formatted cells count too): copy the list into a new "
                "workbook, or save it as CSV.",
                rows=self.max_rows,
                columns=MAX_COLUMNS,
            )
        )

    def parse(self, name: str, handler: _Handler) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _no_document_type
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        try:
            # Count the tags first, unparsed (a small part of the time a parse takes): a
            # part with more of them than the budget has left is refused before any
            # parsing. An end tag split between two chunks counts as a start tag, and
            # comments count too, which can only overstate.
            with self.archive.open(name) as stream:
                tags = 0
                while chunk := stream.read(CHUNK):
                    tags += chunk.count(b"<") - chunk.count(b"</")
            if tags > self.elements:
                raise self.too_many_elements()
            with self.archive.open(name) as stream:
                since = 0  # bytes since the last "<" or ">"
                while chunk := stream.read(CHUNK):
                    since = _check_tokens(chunk, since)
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Stop:
            pass
        except (
            KeyError,
            IndexError,
            ValueError,
            expat.ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            OverflowError,
            RuntimeError,
            TypeError,
        ) as exc:
            raise _unreadable() from exc

    def table(self) -> list[list[str]]:
        """The first worksheet's rows."""
        book = self._workbook()
        table = _Table(self.max_rows)
        self.parse(book.sheets[0][1], _Sheet(self, table))
        return table.rows

    def tables(self, names: set[str]) -> dict[str, list[list[str]]]:
        """The rows of the worksheets called ``names`` (hidden ones too), each part read
        once however often the workbook lists it; a name the workbook lacks is left out."""
        book = self._workbook()
        if len(book.sheets) > MAX_SHEETS:
            raise _refuse(_("This workbook has more than %(max)d sheets.", max=MAX_SHEETS))
        tables: dict[str, list[list[str]]] = {}
        read: set[str] = set()
        for name, path in book.sheets:
            if name in names and name not in tables and path not in read:
                read.add(path)
                table = _Table(self.max_rows)
                self.parse(path, _Sheet(self, table))
                tables[name] = table.rows
        return tables

    def _workbook(self) -> _WorkbookPart:
        """The workbook's part read, with its styles and shared strings."""
        root = _Relationships(self, "")
        self.parse("_rels/.rels", root)
        workbook = root.first("officeDocument") or "xl/workbook.xml"
        folder, file = posixpath.split(workbook)
        relationships = _Relationships(self, folder)
        self.parse(posixpath.join(folder, "_rels", file + ".rels"), relationships)
        book = _WorkbookPart(self, relationships)
        self.parse(workbook, book)
        if not book.sheets:
            raise _refuse(_("This workbook has no sheet."))
        self.epoch = CALENDAR_MAC_1904 if book.date1904 else WINDOWS_EPOCH
        styles = relationships.first("styles")
        if styles:
            formats = _Styles(self)
            self.parse(styles, formats)
            self.dates, self.durations = formats.kinds()
        shared = relationships.first("sharedStrings")
        if shared:
            strings = _SharedStrings(self)
            self.parse(shared, strings)
            self.shared = strings.strings
        return book


def _no_document_type(*_args) -> None:
    raise ValueError("a document type declaration")


def _check_tokens(chunk: bytes, since: int) -> int:
    """Refuse a run of more than ``MAX_TOKEN`` bytes without markup; the bytes since the
    last ``<`` or ``>`` at the end of ``chunk``."""
    first = min((i for i in (chunk.find(b"<"), chunk.find(b">")) if i >= 0), default=-1)
    if first < 0:
        since += len(chunk)
    else:
        if since + first > MAX_TOKEN:
            raise ValueError("a piece of XML too long")
        since = len(chunk) - 1 - max(chunk.rfind(b"<"), chunk.rfind(b">"))
    if since > MAX_TOKEN:
        raise ValueError("a piece of XML too long")
    return since


def read_xlsx(data: bytes, max_rows: int) -> list[list[str]]:
    """The non-empty rows of the first sheet as text (formulas as their ``=`` text)."""
    with _open_archive(data) as archive:
        return _Reading(archive, max_rows).table()


def read_xlsx_sheets(data: bytes, max_rows: int, names: set[str]) -> dict[str, list[list[str]]]:
    """The non-empty rows of the sheets called ``names``, as text, within the same bounds
    as :func:`read_xlsx` (the element budget covers the sheets read together)."""
    with _open_archive(data) as archive:
        return _Reading(archive, max_rows).tables(names)

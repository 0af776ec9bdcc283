"""Workbooks built by hand, part by part: bombs, and a look-alike of what Excel saves.
Parts are streamed into the archive, so a bomb that unpacks to hundreds of MB is built
in a second with little memory.

``refusal_cost`` reads a file with ``read_table`` in a separate Python process, capped in
address space and time, and reports how long the read took and how much its peak memory
grew: the peak resident set size of the process's own memory (VmHWM, which counts C
buffers too; ``getrusage``'s ru_maxrss would also count the memory of the parent it was
forked from, a large test run).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
MIB = 1024 * 1024

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{shared}</Types>"""
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><workbookPr/>
<sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>
{{shared}}</Relationships>"""
SHARED_RELATIONSHIP = (
    f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
)

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
SHEET_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
HEADING = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Given name</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Family name</t></is></c></row>'
)
PERSON = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Noy</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>Sisouk</t></is></c></row>'
)

Chunks = str | bytes | Iterable[str | bytes]


def _chunks(content: Chunks) -> Iterator[bytes]:
    if isinstance(content, str | bytes):
        content = [content]
    for chunk in content:
        yield chunk.encode() if isinstance(chunk, str) else chunk


def write_xlsx(
    path: Path,
    sheet: Chunks,
    shared: Chunks | None = None,
    styles: Chunks = STYLES,
    workbook: Chunks = WORKBOOK,
    extra: dict[str, Chunks] | None = None,
) -> Path:
    """A workbook of one sheet; ``sheet`` is the worksheet's XML (or its chunks)."""
    parts: dict[str, Chunks] = {
        "[Content_Types].xml": CONTENT_TYPES.format(shared="" if shared is None else SHARED_TYPE),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(
            shared="" if shared is None else SHARED_RELATIONSHIP
        ),
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in _chunks(content):
                    part.write(chunk)
    return path


def sheet_xml(*rows: str, dimension: str = "") -> Iterator[str]:
    yield SHEET_START
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


# -- bombs -------------------------------------------------------------------------------------


def wide_sheet(path: Path) -> Path:
    """1.5 KB: a sheet that declares itself 16,384 columns by 20,000 rows, with a value in
    its last cell (XFD20000)."""
    far = f'<row r="20000">{inline("XFD20000", "x")}</row>'
    return write_xlsx(path, sheet_xml(HEADING, PERSON, far, dimension="A1:XFD20000"))


def shared_strings(path: Path, count: int = 3_000_000) -> Path:
    """A few hundred KB: the headings are shared strings, followed by ``count`` more."""

    def strings() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="{count + 2}">'
        yield "<si><t>Given name</t></si><si><t>Family name</t></si>"
        block = "<si><t>x</t></si>" * 10_000
        for _ in range(count // 10_000):
            yield block
        yield "<si><t>x</t></si>" * (count % 10_000)
        yield "</sst>"

    heading = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    return write_xlsx(path, sheet_xml(heading, PERSON), shared=strings())


def huge_cell(path: Path, mib: int = 300) -> Path:
    """A few hundred KB: one cell of ``mib`` MiB of text."""

    def sheet() -> Iterator[str]:
        yield SHEET_START + "<sheetData>" + HEADING
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        block = "A" * MIB
        for _ in range(mib):
            yield block
        yield '</t></is></c><c r="B2" t="inlineStr"><is><t>Sisouk</t></is></c></row>'
        yield "</sheetData></worksheet>"

    return write_xlsx(path, sheet())


def repeated_text(path: Path, rows: int = 20_000, columns: int = 30) -> Path:
    """About 1 MB: one shared string of 500 characters in every cell of 20,000 rows by 30
    columns (300 million characters once read)."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">'
        f"<si><t>Given name</t></si><si><t>Family name</t></si><si><t>{'A' * 500}</t></si></sst>"
    )

    def sheet() -> Iterator[str]:
        yield SHEET_START + "<sheetData>"
        yield '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        letters = [get_column_letter(c) for c in range(1, columns + 1)]
        for r in range(2, rows + 2):
            cells = "".join(f'<c r="{letter}{r}" t="s"><v>2</v></c>' for letter in letters)
            yield f'<row r="{r}">{cells}</row>'
        yield "</sheetData></worksheet>"

    return write_xlsx(path, sheet(), shared=strings)


def long_token(path: Path, mib: int = 40) -> Path:
    """About 1.3 MB: an attribute of ``mib`` MiB (mostly "A", a "B" in fifty, so it packs
    about 30 times: not tighter than a real sheet)."""
    letters = bytes(66 if b < 5 else 65 for b in range(256))
    noise = random.Random(0)

    def sheet() -> Iterator[str | bytes]:
        yield SHEET_START + "<sheetData>" + HEADING + '<row r="2"><c r="A2" t="inlineStr" x="'
        for _ in range(mib):
            yield noise.randbytes(MIB).translate(letters)
        yield '"><is><t>Noy</t></is></c></row></sheetData></worksheet>'

    return write_xlsx(path, sheet())


BOMBS = {
    "wide sheet (A1:XFD20000)": wide_sheet,
    "3,000,000 shared strings": shared_strings,
    "one cell of 300 MiB": huge_cell,
    "one 500-character text in 600,000 cells": repeated_text,
    "an attribute of 40 MiB": long_token,
}


# -- cost of a read, in a process of its own ---------------------------------------------------

READ = """
import json, resource, sys, time
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from curriculum.errors import ValidationError
from curriculum.services.imports import read_table

def memory_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

with open(sys.argv[1], "rb") as f:
    data = f.read()
try:  # start the peak afresh (Linux 4.0 and later), so the peak is the read's own
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
except OSError:
    pass  # then the peak may be one reached earlier, which only overstates the read's
before = memory_kb("VmRSS")
start = time.perf_counter()
try:
    outcome = "read %d rows" % len(read_table(sys.argv[1], data))
except ValidationError as exc:
    outcome = "refused: " + str(exc)
except MemoryError:
    outcome = "out of memory"
seconds = time.perf_counter() - start
peak = memory_kb("VmHWM")
print(json.dumps({"outcome": outcome, "seconds": seconds, "extra_mb": (peak - before) / 1024}))
"""
ROOT = Path(__file__).resolve().parent.parent


def refusal_cost(path: Path, timeout: float = 20, address_space_mb: int = 1536) -> dict:
    """``outcome`` ("refused: ...", "read N rows", "out of memory" or "timed out"),
    ``seconds`` spent in ``read_table`` and ``extra_mb`` of peak resident memory above
    what the process held just before the call."""
    command = [sys.executable, "-c", READ, str(path), str(address_space_mb * MIB)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "timed out", "seconds": timeout, "extra_mb": None}
    if done.returncode != 0:
        return {"outcome": f"failed: {done.stderr[-2000:]}", "seconds": None, "extra_mb": None}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- a look-alike of a list saved by Excel -----------------------------------------------------

EXCEL_PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>""",
    "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId3" Type="{RELS}/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
    "docProps/app.xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><TitlesOfParts><vt:vector size="2" baseType="lpstr"><vt:lpstr>Instructions</vt:lpstr><vt:lpstr>List</vt:lpstr></vt:vector></TitlesOfParts><AppVersion>16.0300</AppVersion></Properties>""",
    "docProps/core.xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>MPS training unit</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2027-05-02T03:04:05Z</dcterms:created></cp:coreProperties>""",
    "xl/workbook.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{RELS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xmlns:xr6="http://schemas.microsoft.com/office/spreadsheetml/2016/revision6" xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10" xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/><workbookPr defaultThemeVersion="166925"/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" url="C:\\Users\\ctg\\Documents\\"/></mc:Choice></mc:AlternateContent><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840" activeTab="1"/></bookViews><sheets><sheet name="List" sheetId="2" r:id="rId2"/><sheet name="Instructions" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">List!$A$1:$H$6</definedName></definedNames><calcPr calcId="191029"/></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId3" Type="{RELS}/theme" Target="theme/theme1.xml"/><Relationship Id="rId2" Type="{RELS}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId6" Type="{RELS}/calcChain" Target="calcChain.xml"/><Relationship Id="rId5" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="{RELS}/styles" Target="styles.xml"/></Relationships>""",
    "xl/theme/theme1.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements><a:clrScheme name="Office">{"".join(f'<a:accent{i}><a:srgbClr val="4472C4"/></a:accent{i}>' for i in range(1, 7))}</a:clrScheme><a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/><a:font script="Laoo" typeface="DokChampa"/></a:majorFont></a:fontScheme></a:themeElements></a:theme>""",
    # cellStyleXfs and dxfs hold formats too; only cellXfs says how a cell shows.
    "xl/styles.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts><fonts count="2" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><name val="Phetsarath OT"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="left"/></xf><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="1" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="1"><dxf><numFmt numFmtId="166" formatCode="yyyy"/></dxf></dxfs><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>""",
    # Plain text, rich text in runs, a phonetic guide (not part of the text), kept spaces,
    # an escaped ampersand, Lao; the instructions (on the other sheet) run long.
    "xl/sharedStrings.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="14" uniqueCount="12"><si><t>Given name (Latin)</t></si><si><t>Family name (Latin)</t></si><si><r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t>Year</t></r><r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve"> of birth</t></r></si><si><t>Institution</t></si><si><t>Province</t></si><si><t>Phone</t></si><si><t>Date of birth</t></si><si><t>Noy</t><rPh sb="0" eb="3"><t>ノイ</t></rPh><phoneticPr fontId="1"/></si><si><t xml:space="preserve">  Sisouk  </t></si><si><t>Police &amp; Prosecution</t></si><si><t>ນ້ອຍ</t></si><si><t>{"Fill in one person per row. " * 30}</t></si></sst>""",
    "xl/calcChain.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<calcChain xmlns="{MAIN}"><c r="G2" i="2" l="1"/><c r="G3"/><c r="H2"/></calcChain>""",
    "xl/printerSettings/printerSettings1.bin": bytes(4096),
    "xl/worksheets/_rels/sheet2.xml.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{RELS}/printerSettings" Target="../printerSettings/printerSettings1.bin"/></Relationships>""",
    "xl/worksheets/sheet1.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="s"><v>11</v></c></row></sheetData></worksheet>""",
    # The list: a declared dimension far beyond the cells, rows with spans and Excel's
    # own attributes, an empty formatted cell far to the right, a blank row, a date, a
    # number shown with a decimal, a shared formula, an array formula, a formula with
    # its text result, an error, a boolean, an inline string; then what follows the cells.
    "xl/worksheets/sheet2.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:r="{RELS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xr:uid="{{00000000-0001-0000-0000-000000000000}}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:XFD1048576"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="B3" sqref="B3"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><cols><col min="1" max="2" width="18.7109375" customWidth="1"/><col min="3" max="16384" width="9.140625" style="1"/></cols><sheetData><row r="1" spans="1:8" s="1" customFormat="1" x14ac:dyDescent="0.25"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" s="1" t="s"><v>2</v></c><c r="D1" s="1" t="s"><v>3</v></c><c r="E1" s="1" t="s"><v>4</v></c><c r="F1" s="1" t="s"><v>5</v></c><c r="G1" s="1" t="s"><v>6</v></c><c r="H1" s="1"><v>2027</v></c><c r="XFD1" s="1"/></row><row r="2" spans="1:8" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2"><v>1985</v></c><c r="D2" t="s"><v>9</v></c><c r="E2" t="inlineStr"><is><t>Xiangkhouang</t></is></c><c r="F2" s="3" t="s"><v>10</v></c><c r="G2" s="2"><v>31108</v></c><c r="H2" s="4"><f t="shared" ref="H2:H3" si="0">H$1-C2</f><v>42</v></c></row><row r="3" spans="1:8" x14ac:dyDescent="0.25"><c r="A3" t="str"><f>UPPER("somsak")</f><v>SOMSAK</v></c><c r="B3" t="e"><v>#N/A</v></c><c r="C3"><v>1990.0</v></c><c r="D3" t="b"><v>1</v></c><c r="E3"><f t="array" ref="E3">SUM(C2:C3*1)</f><v>3975</v></c><c r="F3" s="3"/><c r="G3" s="2"/><c r="H3" s="4"><f t="shared" si="0"/><v>37</v></c></row><row r="4" spans="1:8" ht="5" customHeight="1" x14ac:dyDescent="0.25"><c r="A4" s="1"/></row><row r="5" spans="1:8" x14ac:dyDescent="0.25"><c r="A5" t="s"><v>10</v></c><c r="F5" t="inlineStr"><is><r><t>020</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 5555 1234</t></r></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A6:B6"/></mergeCells><conditionalFormatting sqref="C2:C1048576"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>1900</formula></cfRule></conditionalFormatting><dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="E2:E1048576"><formula1>"Vientiane,Xiangkhouang"</formula1></dataValidation></dataValidations><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" r:id="rId1"/></worksheet>""",
}
# The list as a reader sees it: each cell's text, a formula as its "=" text, a blank row gone.
EXCEL_TABLE = [
    [
        "Given name (Latin)",
        "Family name (Latin)",
        "Year of birth",
        "Institution",
        "Province",
        "Phone",
        "Date of birth",
        "2027",
    ],
    [
        "Noy",
        "Sisouk",
        "1985",
        "Police & Prosecution",
        "Xiangkhouang",
        "ນ້ອຍ",
        "1985-03-02",
        "=H$1-C2",
    ],
    ['=UPPER("somsak")', "#N/A", "1990", "TRUE", "=SUM(C2:C3*1)", "", "", "=H$1-C3"],
    ["ນ້ອຍ", "", "", "", "", "020 5555 1234"],
]


def excel_like(path: Path) -> Path:
    """A list as Excel saves it: two sheets (the list first), theme, styles with date
    formats, shared strings, calculation chain, printer settings, document properties."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in EXCEL_PARTS.items():
            archive.writestr(name, content)
    return path

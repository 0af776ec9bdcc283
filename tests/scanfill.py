"""Printed sheets filled in by program and photographed by program, for the scan tests and
``bench/scan.py``.

``pages_of(pdf, dpi)`` renders a sheet PDF with poppler's ``pdftoppm`` as a printer would
print it; ``fill`` draws on a page what people draw (ticks, crosses, filled bubbles,
scribbled signatures and names, and some ambiguous marks: a dot, a short stroke, a tick
inside a bubble) and says what a careful person would read in each box; ``photograph``
degrades the page as a phone does (rotation, perspective, blur, uneven light, JPEG) or as a
scanner does.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from curriculum.documents.sheets import ANSWERS, CHOICES, CODE_DIGITS, SIGN_IN, Box, Page, boxes
from curriculum.scanning import EMPTY, MARKED, UNSURE

INK = (40, 60)  # pen darkness (grey level) range


def pages_of(pdf: bytes, dpi: int) -> list[np.ndarray]:
    """Each page of ``pdf`` as a grey image at ``dpi``."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sheet.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), f"{folder}/p"], check=True
        )
        return [
            cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in sorted(Path(folder).glob("p-*.png"))
        ]


@dataclass
class Filled:
    image: np.ndarray
    truth: dict[str, str] = field(default_factory=dict)  # box key -> MARKED / EMPTY / UNSURE
    marks: dict[str, str] = field(default_factory=dict)  # box key -> what was drawn
    code: str = ""  # the digits bubbled on a blank answer sheet


class Pen:
    def __init__(self, image: np.ndarray, dpi: int, rng: np.random.Generator):
        self.image, self.scale, self.rng = image, dpi / 25.4, rng
        self.colour = int(rng.integers(*INK))

    def _p(self, x: float, y: float) -> tuple[int, int]:
        return round(x * self.scale), round(y * self.scale)

    def line(self, points: list[tuple[float, float]], width: float = 0.5) -> None:
        pts = np.array([self._p(x, y) for x, y in points], np.int32)
        thickness = max(1, round(width * self.scale))
        cv2.polylines(self.image, [pts], False, self.colour, thickness, cv2.LINE_AA)

    def disc(self, x: float, y: float, r: float) -> None:
        cv2.circle(self.image, self._p(x, y), round(r * self.scale), self.colour, -1, cv2.LINE_AA)

    def jitter(self, v: float = 0.3) -> float:
        return float(self.rng.uniform(-v, v))

    # what people put in a tick box
    def tick(self, b: Box) -> None:
        j = self.jitter
        self.line(
            [
                (b.x + 1.0 + j(), b.y + 3.2 + j()),
                (b.x + 2.5 + j(), b.y + 5.0 + j(0.2)),
                (b.x + 5.4 + j(), b.y + 0.8 + j()),
            ]
        )

    def cross(self, b: Box) -> None:
        j = self.jitter
        self.line([(b.x + 0.9 + j(), b.y + 0.9 + j()), (b.x + 5.1 + j(), b.y + 5.1 + j())])
        self.line([(b.x + 5.1 + j(), b.y + 0.9 + j()), (b.x + 0.9 + j(), b.y + 5.1 + j())])

    def dot(self, b: Box, r: float) -> None:
        self.disc(b.x + b.w / 2 + self.jitter(0.4), b.y + b.h / 2 + self.jitter(0.4), r)

    def stroke(self, b: Box, length: float) -> None:
        x, y = b.x + b.w / 2 + self.jitter(0.5), b.y + b.h / 2 + self.jitter(0.5)
        angle = self.rng.uniform(0, np.pi)
        dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
        self.line([(x - dx, y - dy), (x + dx, y + dy)], 0.45)

    def fill(self, b: Box) -> None:
        r = b.w / 2
        self.disc(b.x + r + self.jitter(0.15), b.y + r + self.jitter(0.15), r * 0.92)

    def scribble(self, b: Box, length: float) -> None:
        """A signature or a handwritten name: a wavy line across ``length`` mm of the box."""
        start = b.x + 2 + self.rng.uniform(0, max(0.1, b.w - length - 4))
        xs = np.linspace(start, start + length, 40)
        mid, amp = b.y + b.h / 2, b.h * 0.28
        ys = mid + amp * np.sin(xs * self.rng.uniform(0.8, 1.6) + self.rng.uniform(0, 6))
        self.line(list(zip(xs, ys, strict=True)), 0.4)


def draw(
    image: np.ndarray, page: Page, dpi: int, marks: dict[str, str], rng: np.random.Generator
) -> Filled:
    """``image`` of ``page`` with ``marks`` drawn (box key -> "tick", "cross", "fill",
    "sign", "name", "empty", or an ambiguous "dot", "stroke", "bubble-tick", "short-sign")
    and what a careful reader would say of each box."""
    out = Filled(image.copy())
    pen = Pen(out.image, dpi, rng)
    layout = boxes(page)
    for key, what in marks.items():
        b = layout[key]
        out.marks[key] = what
        if what == "empty":
            out.truth[key] = EMPTY
            continue
        out.truth[key] = MARKED
        if what in ("tick", "cross"):
            getattr(pen, what)(b)
        elif what == "fill":
            pen.fill(b)
        elif what == "sign":
            pen.scribble(b, float(rng.uniform(18, min(40, b.w - 6))))
        elif what == "name":
            pen.scribble(b, float(rng.uniform(25, 45)))
        else:
            out.truth[key] = UNSURE
            if what == "dot":  # a box's stray dot: neither a tick nor nothing
                pen.dot(b, 0.5 if b.shape == "square" else 0.9)
            elif what == "stroke":  # a short stroke: started, then given up?
                pen.stroke(b, 1.6 if b.shape == "square" else 2.6)
            elif what == "bubble-tick":  # a tick in a bubble instead of filling it
                pen.line(
                    [(b.x + 1.2, b.y + 2.6), (b.x + 2.2, b.y + 3.6), (b.x + 3.9, b.y + 1.3)],
                    0.45,
                )
            elif what == "short-sign":  # a short mark in a signature box
                pen.stroke(b, 4.0)
            else:
                raise ValueError(what)
    return out


def fill(
    image: np.ndarray, page: Page, dpi: int, rng: np.random.Generator, ambiguous: float = 0.06
) -> Filled:
    """``page`` filled as people fill it, at random; about ``ambiguous`` of the boxes get a
    mark no one could be sure of, which the reader must leave unsure."""
    marks: dict[str, str] = {}

    def tick_box(key: str, present: bool) -> None:
        if rng.random() < ambiguous:
            marks[key] = str(rng.choice(["dot", "stroke"]))
        elif present:
            marks[key] = "tick" if rng.random() < 0.7 else "cross"
        else:
            marks[key] = "empty"

    code = ""
    if page.kind == ANSWERS:
        for n in range(1, page.test[2] + 1):
            roll = rng.random()
            choice = int(rng.integers(CHOICES))
            for c in range(CHOICES):
                marks[f"q{n}.{c}"] = "empty"
            if roll < ambiguous:
                marks[f"q{n}.{choice}"] = str(rng.choice(["dot", "bubble-tick"]))
            elif roll < ambiguous + 0.03:  # two answers to one question
                marks[f"q{n}.{choice}"] = "fill"
                marks[f"q{n}.{(choice + 1 + int(rng.integers(CHOICES - 1))) % CHOICES}"] = "fill"
            elif roll >= ambiguous + 0.08:  # else left unanswered
                marks[f"q{n}.{choice}"] = "fill"
        if page.rows == (0,):
            code = "".join(str(int(v)) for v in rng.integers(0, 10, CODE_DIGITS))
            marks.update(code_marks(code))
    else:
        walk_ins = [f"w{i}" for i in range(page.walk_ins)]
        used = set(walk_ins[: int(rng.integers(0, len(walk_ins) + 1))]) if walk_ins else set()
        for row in [f"r{i}" for i in range(len(page.rows))] + walk_ins:
            if row in walk_ins:
                marks[f"{row}.name"] = "name" if row in used else "empty"
            present = row in used if row in walk_ins else bool(rng.random() < 0.85)
            if page.kind == SIGN_IN:
                tick_box(f"{row}.tick", present)
                if rng.random() < ambiguous / 2:
                    marks[f"{row}.sign"] = "short-sign"
                else:
                    marks[f"{row}.sign"] = "sign" if present and rng.random() < 0.9 else "empty"
            else:
                for j in range(len(page.days)):
                    tick_box(f"{row}.d{j}", present and rng.random() < 0.9)
    out = draw(image, page, dpi, marks, rng)
    out.code = code
    return out


def code_marks(code: str) -> dict[str, str]:
    """The bubbles of a blank answer sheet's code, ``code`` being its digits."""
    return {
        f"c{k}.{v}": "fill" if str(v) == digit else "empty"
        for k, digit in enumerate(code)
        for v in range(10)
    }


def photograph(
    image: np.ndarray, rng: np.random.Generator, size: str = "photo", quality: int = 60
) -> bytes:
    """``image`` (a page at 200 dpi) as a JPEG from a phone ("photo": 3000 x 4000 pixels,
    the page at an angle of up to 7 degrees and in perspective, on a table, in uneven
    light, a little out of focus) or from a scanner ("scan": 200 dpi, a little askew)."""
    h, w = image.shape
    if size == "scan":
        angle = rng.uniform(-2.0, 2.0)
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        out = cv2.warpAffine(image, matrix, (w, h), borderValue=255, flags=cv2.INTER_LINEAR)
        out = _light(out, rng, 0.85)
        out = cv2.GaussianBlur(out, (0, 0), 0.6)
    else:
        width, height = 3000, 4000
        scale = rng.uniform(0.72, 0.86) * height / h
        centre = np.array([width / 2, height / 2]) + rng.uniform(-80, 80, 2)
        angle = np.deg2rad(rng.uniform(-7.0, 7.0))
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        corners = np.array([(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)])
        placed = (corners * scale) @ rot.T + centre
        placed += rng.uniform(-0.035, 0.035, (4, 2)) * width  # the phone held at a slant
        matrix = cv2.getPerspectiveTransform(
            np.float32([(0, 0), (w, 0), (w, h), (0, h)]), placed.astype(np.float32)
        )
        table = int(rng.integers(70, 150))
        out = cv2.warpPerspective(
            image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=table
        )
        out = _light(out, rng, 0.55)
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.8, 1.8))
    noise = np.empty(out.shape, np.int16)
    cv2.setRNGSeed(int(rng.integers(1 << 31)))  # the same noise for the same generator
    cv2.randn(noise, 0, 3)
    out = cv2.add(out, noise, dtype=cv2.CV_8U)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return jpeg.tobytes()


def _light(image: np.ndarray, rng: np.random.Generator, darkest: float) -> np.ndarray:
    """Light falling unevenly: brighter on one side, a soft shadow on another (worked out
    at an eighth of the size, as light varies slowly, then stretched over the image)."""
    h, w = image.shape
    sh, sw = max(2, h // 8), max(2, w // 8)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx / sw + np.sin(angle) * yy / sh + 1) / 2
    light = 1.0 - (1.0 - darkest) * ramp
    cx, cy = rng.uniform(0, sw), rng.uniform(0, sh)
    shadow = np.exp(-(((xx - cx) / (0.3 * sw)) ** 2 + ((yy - cy) / (0.3 * sh)) ** 2))
    light = cv2.resize((light * (1.0 - 0.18 * shadow)).astype(np.float32), (w, h))
    return cv2.multiply(image, light, dtype=cv2.CV_8U)


def stored_scan(root: Path, workshop_id: int, sheet: bytes, name: str = "scan.jpg") -> str:
    """An upload, read as the job reads it, under ``root`` (a scan store's folder): the first
    page of the PDF ``sheet``, the first row's box ticked and signed, scanned at 150 dpi.
    The upload's token."""
    from curriculum.services import scans

    rng = np.random.default_rng(1)
    image = pages_of(sheet, 150)[0]
    page = page_of(image)
    first = {"r0.tick": "tick", "r0.sign": "sign"} if page.kind == SIGN_IN else {}
    filled = draw(image, page, 150, first, rng)
    store = scans.Store(root)
    token = store.create(workshop_id, None, [(name, photograph(filled.image, rng, "scan"))])
    scans.read_batch(store, token)
    return token


def page_of(image: np.ndarray) -> Page:
    import zxingcpp

    from curriculum.documents.sheets import parse_payload

    return parse_payload(zxingcpp.read_barcodes(image)[0].text)

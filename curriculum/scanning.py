"""Reading a photographed or scanned sheet (``curriculum.documents.sheets``): find the page,
straighten it, read its QR code and say of every box whether it is marked, empty or unsure.

No database here: a page read is plain data (what its QR code names, a state and an ink
share per box, and small images of the boxes), turned into attendance and scores by
``curriculum.services.scans``.

How a page is found: OpenCV's ArUco detector finds the corner markers (three of the four
are enough); their corners, sixteen points where all four are seen, give the homography
that maps the photo onto the page as printed, at ``PX`` pixels per millimetre. The QR code
is read there with zxing-cpp (and from the photo itself when the straightened one fails).

How a box is read: the straightened page is divided by its own paper brightness (a wide
maximum filter, so shade and uneven light cancel out), and a pixel darker than ``INK`` of
the paper around it is ink. A box's ink share is taken inside its printed border (``INSET``
in from it, so the border and a slightly misplaced page count for nothing), and compared
with the thresholds of ``THRESHOLDS``: below the first, empty; from the second, marked;
between them, unsure, and an unsure box is never guessed: it waits for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

from .documents.sheets import (
    MARKER,
    MARKER_DICTIONARY,
    MARKERS,
    PAGE_H,
    PAGE_W,
    QR_AT,
    QR_SIZE,
    BadCode,
    Box,
    Page,
    areas,
    boxes,
    parse_payload,
)

PX = 6.0  # pixels per millimetre of the straightened page
MAX_SIDE = 3600  # a larger photo is scaled down to this first (no box needs more)
MIN_SIDE = 300  # a smaller image cannot hold a readable page
INK = 0.62  # darker than this share of the paper's brightness is ink
BACKGROUND = 9.0  # mm: the paper's brightness is the brightest within this window
INSET = {"square": 1.1, "round": 0.75, "area": 1.2}  # mm inside the printed border

# Ink share: (empty below, marked from); between the two a box is unsure. Measured on
# synthetic phone photos and scans (tests/scanfill.py, bench/scan.py):
# - a tick box: a tick 24-31 %, a cross 41-46 %; a stray dot or a short stroke 7-11 %;
# - a bubble: filled, 100 %; a tick or a dot in it, 27-30 %;
# - a signature box or an empty row's name cells: a signature 8 % and more, a handwritten
#   name 4 % and more, a short stroke 1 %;
# and an empty box of any kind 0 %.
THRESHOLDS = {"square": (0.02, 0.14), "round": (0.08, 0.55), "area": (0.004, 0.03)}

MARKED, EMPTY, UNSURE = "marked", "empty", "unsure"


@dataclass
class PageRead:
    """What one image gave: a page (its QR code and every box), or a problem."""

    problem: str = ""  # "" or "markers", "code", "not-ours"
    page: Page | None = None
    states: dict[str, str] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    crops: dict[str, bytes] = field(default_factory=dict)  # of ``areas``: rows, questions


def state(share: float, shape: str) -> str:
    low, high = THRESHOLDS[shape]
    if share < low:
        return EMPTY
    if share >= high:
        return MARKED
    return UNSURE


def decode_image(data: bytes) -> np.ndarray | None:
    """A grey image from JPEG or PNG bytes (None when they are not an image)."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    return image if image is not None and image.size else None


def _detector() -> cv2.aruco.ArucoDetector:
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    parameters.adaptiveThreshWinSizeMax = 53
    parameters.adaptiveThreshWinSizeStep = 8
    dictionary = cv2.aruco.getPredefinedDictionary(MARKER_DICTIONARY)
    return cv2.aruco.ArucoDetector(dictionary, parameters)


def _markers(gray: np.ndarray) -> dict[int, np.ndarray]:
    """The corner markers found: id -> its four corners in the image."""
    corners, ids, _rejected = _detector().detectMarkers(gray)
    found: dict[int, np.ndarray] = {}
    if ids is None:
        return found
    for quad, number in zip(corners, ids.flatten(), strict=True):
        marker_id = int(number)
        if marker_id not in MARKERS:
            continue  # a QR code's modules can look like another marker
        quad = quad.reshape(4, 2)
        if marker_id not in found or cv2.contourArea(quad) > cv2.contourArea(found[marker_id]):
            found[marker_id] = quad
    return found


def _page_corners(marker_id: int) -> np.ndarray:
    x, y = MARKERS[marker_id]
    return np.array([(x, y), (x + MARKER, y), (x + MARKER, y + MARKER), (x, y + MARKER)]) * PX


def straighten(gray: np.ndarray) -> np.ndarray | None:
    """The page as printed, PX pixels per millimetre, from a photo or a scan; None when
    fewer than three corner markers are found."""
    found = _markers(gray)
    if len(found) < 3:
        # a small or soft photo: once more at twice the size
        bigger = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        found = {k: v / 2 for k, v in _markers(bigger).items()}
        if len(found) < 3:
            return None
    source = np.concatenate([found[k] for k in sorted(found)]).astype(np.float32)
    target = np.concatenate([_page_corners(k) for k in sorted(found)]).astype(np.float32)
    matrix, _mask = cv2.findHomography(source, target, 0)
    if matrix is None:
        return None
    size = (round(PAGE_W * PX), round(PAGE_H * PX))
    return cv2.warpPerspective(
        gray, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _read_qr(image: np.ndarray) -> list[str]:
    return [
        r.text
        for r in zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode])
        )
        if r.valid
    ]


def read_code(page: np.ndarray, photo: np.ndarray) -> Page | str:
    """The page the QR code names, or a problem: "code" (none could be read) or
    "not-ours" (a code, but not one of these sheets')."""
    margin = 5.0
    x0, y0 = (max(0, round((v - margin) * PX)) for v in QR_AT)
    side = round((QR_SIZE + 2 * margin) * PX)
    region = page[y0 : y0 + side, x0 : x0 + side]
    texts = _read_qr(region) or _read_qr(cv2.resize(region, None, fx=2, fy=2)) or _read_qr(photo)
    if not texts:
        return "code"
    for text in texts:
        try:
            return parse_payload(text)
        except BadCode:
            continue
    return "not-ours"


def ink(page: np.ndarray) -> np.ndarray:
    """Where the straightened page holds ink (True), whatever the light was."""
    window = int(BACKGROUND * PX) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))
    paper = cv2.dilate(page, kernel)
    paper = cv2.blur(paper, (window, window)).astype(np.float32)
    return page.astype(np.float32) < INK * np.maximum(paper, 1.0)


def _region(box: Box) -> tuple[slice, slice, np.ndarray | None]:
    inset = INSET[box.shape]
    x0, y0 = round((box.x + inset) * PX), round((box.y + inset) * PX)
    x1, y1 = round((box.x + box.w - inset) * PX), round((box.y + box.h - inset) * PX)
    mask = None
    if box.shape == "round":
        h, w = y1 - y0, x1 - x0
        yy, xx = np.ogrid[:h, :w]
        cy, cx, r = (h - 1) / 2, (w - 1) / 2, min(h, w) / 2
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
    return slice(y0, y1), slice(x0, x1), mask


def share(marks: np.ndarray, box: Box) -> float:
    """The share of ``box``'s inside that holds ink."""
    rows, cols, mask = _region(box)
    inside = marks[rows, cols]
    if mask is not None:
        inside = inside[mask[: inside.shape[0], : inside.shape[1]]]
    return float(inside.mean()) if inside.size else 0.0


def crop(page: np.ndarray, box: Box, margin: float = 1.5) -> bytes:
    """A small PNG of the box as the sheet shows it (for a person to look at)."""
    x0, y0 = max(0, round((box.x - margin) * PX)), max(0, round((box.y - margin) * PX))
    x1, y1 = round((box.x + box.w + margin) * PX), round((box.y + box.h + margin) * PX)
    ok, png = cv2.imencode(".png", page[y0:y1, x0:x1], [cv2.IMWRITE_PNG_COMPRESSION, 6])
    return png.tobytes() if ok else b""


def read_page(gray: np.ndarray, *, crops: bool = True) -> PageRead:
    """Everything one image gives (see the module's text)."""
    if min(gray.shape[:2]) < MIN_SIDE:
        return PageRead(problem="markers")  # a sliver: no page in it
    scale = MAX_SIDE / max(gray.shape)
    if scale < 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    page = straighten(gray)
    if page is None:
        return PageRead(problem="markers")
    code = read_code(page, gray)
    if isinstance(code, str):
        return PageRead(problem=code)
    marks = ink(page)
    result = PageRead(page=code)
    for key, box in boxes(code).items():
        value = share(marks, box)
        result.shares[key] = round(value, 4)
        result.states[key] = state(value, box.shape)
    if crops:
        for key, box in areas(code).items():
            result.crops[key] = crop(page, box, margin=0.5)
    return result

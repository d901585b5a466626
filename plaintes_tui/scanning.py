"""Reading a scanned letter with Tesseract: each page turned upright, read in French, Dutch and
German, and kept as a searchable PDF (the page's image with its text under it).

The scanner's files are PDF (one page or several), TIFF (one page or several), PNG or JPEG.
Tesseract is Debian's ``tesseract-ocr`` with its ``-fra``, ``-nld`` and ``-deu`` languages,
driven through its command line (one run a page for its orientation, one run for the text
and the PDF); PDF pages are drawn with PDFium. What the letter says is found by
``domain/letter_reading.py``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from plaintes_tui.domain.letter_reading import LetterReading, ScanLine, read_letter

if TYPE_CHECKING:
    from PIL import Image

LANGUAGES = ("fra", "nld", "deu")
SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg")
DPI = 300  # PDF pages are drawn at the resolution scanners use for text
# A page fed askew is turned straight when it leans this much or more (degrees); the search
# looks this far either way, in steps of SKEW_STEP.
SKEW_AT_LEAST, SKEW_AT_MOST, SKEW_STEP = 0.3, 5.0, 0.2
# A page whose orientation Tesseract is less sure of than this is left as it is.
ORIENTATION_SURE = 2.0
# The resolution the orientation is looked for at (a page scanned finer is shrunk to it).
ORIENTATION_DPI = 150
RUN_AT_MOST = 120  # seconds for one Tesseract run: a page that takes longer is not a letter


class ScanUnreadable(Exception):
    """A file that is no scan this reader can read; ``key`` (a catalogue key) says why."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(key)
        self.key, self.detail = key, detail


@dataclass(frozen=True)
class ReadScan:
    pages: int
    lines: tuple[ScanLine, ...]
    reading: LetterReading
    pdf: bytes  # the searchable PDF

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def as_kept(self) -> dict[str, object]:
        """What the store keeps of the scan: the fields found with their confidence, the
        number of pages, and each line read as [page, text, confidence]."""
        lines = [[line.page, line.text, round(line.confidence, 2)] for line in self.lines]
        return {**self.reading.as_json(), "pages": self.pages, "lines": lines}


def missing_tools() -> list[str]:
    """The Debian packages this machine lacks for reading scans (empty when it can)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return ["tesseract-ocr", *(f"tesseract-ocr-{code}" for code in LANGUAGES)]
    listed = subprocess.run(
        [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    ).stdout.split()
    return [f"tesseract-ocr-{code}" for code in (*LANGUAGES, "osd") if code not in listed]


def read_scan(path: Path) -> ReadScan:
    """The letter in ``path``, read; ``ScanUnreadable`` when it is no image nor PDF."""
    with tempfile.TemporaryDirectory(prefix="plaintes-scan-") as work:
        folder = Path(work)
        pages = [_straight(_upright(page)) for page in _pages(path, folder)]
        if not pages:
            raise ScanUnreadable("scan.reason_empty")
        listing = folder / "pages.txt"
        listing.write_text("\n".join(str(page) for page in pages) + "\n", encoding="utf-8")
        _tesseract(listing, folder / "out", "-l", "+".join(LANGUAGES), "tsv", "pdf")
        lines = tuple(_lines((folder / "out.tsv").read_text(encoding="utf-8")))
        pdf = (folder / "out.pdf").read_bytes()
    return ReadScan(len(pages), lines, read_letter(lines), pdf)


def _pages(path: Path, folder: Path) -> Iterator[Path]:
    """Each page of the file as a PNG in ``folder``."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        yield from _pdf_pages(data, folder)
        return
    try:
        image = Image.open(io.BytesIO(data))
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            page = folder / f"page-{number:03}.png"
            _save(frame.convert("L"), page, image.info.get("dpi", (DPI, DPI)))
            yield page
    except (UnidentifiedImageError, OSError) as error:
        raise ScanUnreadable("scan.reason_not_an_image", str(error)) from None


def _pdf_pages(data: bytes, folder: Path) -> Iterator[Path]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ScanUnreadable("scan.reason_bad_pdf", str(error)) from None
    try:
        for number in range(len(document)):
            image = document[number].render(scale=DPI / 72, grayscale=True).to_pil()
            page = folder / f"page-{number + 1:03}.png"
            _save(image, page, (DPI, DPI))
            yield page
    finally:
        document.close()


def _save(image: Image.Image, page: Path, dpi: tuple[float, float]) -> None:
    """A page of the work folder, for Tesseract: compressed little, written twice as fast."""
    image.save(page, format="PNG", dpi=dpi, compress_level=1)


def _upright(page: Path) -> Path:
    """The page turned the right way up when Tesseract is sure it is not (a sheet fed upside
    down, a page scanned sideways); small skews its reading handles itself."""
    from PIL import Image

    with Image.open(page) as image:
        dpi = image.info.get("dpi", (DPI, DPI))
        shrink = max(1, round(min(dpi)) // ORIENTATION_DPI)
        if shrink > 1:  # the orientation is as sure on a smaller copy, read in half the time
            looked_at = page.with_name(f"{page.stem}-orientation.png")
            _save(image.reduce(shrink), looked_at, (min(dpi) / shrink,) * 2)
        else:
            looked_at = page
    said = _tesseract(looked_at, "-", "--psm", "0", "-l", "osd", check=False)
    rotate = re.search(r"Rotate: (\d+)", said)
    sure = re.search(r"Orientation confidence: ([\d.]+)", said)
    if rotate is None or sure is None or int(rotate[1]) == 0:
        return page
    if float(sure[1]) < ORIENTATION_SURE:
        return page
    with Image.open(page) as image:
        turned = image.rotate(-int(rotate[1]), expand=True)
    _save(turned, page, dpi)
    return page


def _straight(page: Path) -> Path:
    """The page turned straight when it was fed askew: the kept PDF shows it level, and
    Tesseract reads level lines best."""
    from PIL import Image

    with Image.open(page) as image:
        angle = skew_of(image)
        if abs(angle) < SKEW_AT_LEAST:
            return page
        dpi = image.info.get("dpi", (DPI, DPI))
        level = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    _save(level, page, dpi)
    return page


def skew_of(image: Image.Image) -> float:
    """The turn (degrees, counter-clockwise) that makes the page's lines level: the one whose
    rows of ink are the most contrasted (lines of text, then white between them), looked for
    on an eighth-size copy of the page, then to SKEW_STEP on a quarter-size one."""
    from PIL import Image

    grey = image.convert("L").reduce(4)
    fine_ink = grey.point(lambda value: 255 if value < 160 else 0)
    coarse_ink = grey.reduce(2).point(lambda value: 255 if value < 200 else 0)

    def contrast(ink: Image.Image, angle: float) -> float:
        rows = ink.rotate(angle, resample=Image.Resampling.BILINEAR).resize(
            (1, ink.height), Image.Resampling.BOX
        )
        values = rows.tobytes()  # one byte a row (grey)
        return sum((a - b) ** 2 for a, b in pairwise(values))

    steps = round(SKEW_AT_MOST / SKEW_STEP)
    coarse = max(range(-steps, steps + 1, 2), key=lambda n: contrast(coarse_ink, n * SKEW_STEP))
    fine = max((coarse - 1, coarse, coarse + 1), key=lambda n: contrast(fine_ink, n * SKEW_STEP))
    return round(fine * SKEW_STEP, 1)


def _tesseract(source: Path, target: Path | str, *options: str, check: bool = True) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        raise ScanUnreadable("scan.no_tesseract")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread: faster on few cores
    try:
        done = subprocess.run(
            [binary, str(source), str(target), *options],
            capture_output=True,
            text=True,
            timeout=RUN_AT_MOST,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ScanUnreadable("scan.reason_too_long") from None
    if check and done.returncode != 0:
        raise ScanUnreadable("scan.reason_ocr_failed", done.stderr.strip()[-300:])
    return done.stdout + done.stderr


def _lines(tsv: str) -> Iterator[ScanLine]:
    """Tesseract's words, gathered into lines in reading order, each with the mean confidence
    of its words and where it stands on its page."""
    size: dict[int, tuple[float, float]] = {}
    words: dict[tuple[int, int, int, int], list[tuple[str, float, float, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        page = int(row["page_num"])
        if row["level"] == "1":
            size[page] = (float(row["width"]) or 1.0, float(row["height"]) or 1.0)
        elif row["level"] == "5" and (row["text"] or "").strip():
            key = (page, int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            width, height = size.get(page, (1.0, 1.0))
            confidence = max(0.0, float(row["conf"])) / 100
            left, top = float(row["left"]) / width, float(row["top"]) / height
            words.setdefault(key, []).append((row["text"], confidence, left, top))
    for (page, block, paragraph, _), found in words.items():
        yield ScanLine(
            text=" ".join(word for word, *_ in found),
            confidence=sum(conf for _, conf, _, _ in found) / len(found),
            left=min(left for *_, left, _ in found),
            top=min(top for *_, top in found),
            page=page,
            paragraph=block * 1000 + paragraph,
        )

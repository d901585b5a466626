"""Scanned letters read by Tesseract: letters drawn at 300 dpi in French, Dutch and German,
clean and degraded (noise, skew, a fax-like copy, a page upside down), each read into the
fields the intake form takes, and kept as a searchable PDF."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from plaintes_tui.domain.validation import normalise_phone
from plaintes_tui.scanning import ScanUnreadable, missing_tools, read_scan, skew_of
from tests.scan_corpus import DEGRADATIONS, LETTERS, Letter, draw, skewed, write

pytestmark = pytest.mark.skipif(
    bool(missing_tools()), reason="needs Tesseract (make test installs it as root)"
)


def similarity(read: str, written: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(read.split()), written).ratio()


def assert_read(letter: Letter, path: Path, *, body_at_least: float) -> None:
    reading = read_scan(path).reading
    said = reading.as_json()
    assert reading.value("last_name") == letter.last_name, said
    assert reading.value("first_name") == letter.first_name, said
    assert reading.value("postal_code") == letter.postal_code, said
    assert reading.value("town") == letter.town, said
    assert reading.value("street") == letter.street, said
    assert reading.value("email") == letter.email, said
    assert reading.value("phone") == normalise_phone(letter.phone), said
    assert reading.value("letter_date") == letter.letter_date, said
    assert reading.value("language") == letter.language, said
    assert reading.value("reference") == letter.reference, said
    assert similarity(reading.value("text"), letter.text) >= body_at_least, said


@pytest.mark.slow
@pytest.mark.parametrize("letter", LETTERS, ids=lambda letter: letter.language)
def test_a_clean_letter_is_read_field_by_field(letter: Letter, tmp_path: Path) -> None:
    assert_read(letter, write(draw(letter), tmp_path / "scan.png"), body_at_least=0.98)


@pytest.mark.slow
@pytest.mark.parametrize("degradation", sorted(DEGRADATIONS))
def test_a_degraded_letter_is_still_read(degradation: str, tmp_path: Path) -> None:
    letter = LETTERS[0]
    page = DEGRADATIONS[degradation](draw(letter))
    assert_read(letter, write(page, tmp_path / "scan.png"), body_at_least=0.9)


@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, 270])
def test_a_page_scanned_sideways_is_read_upright(turn: int, tmp_path: Path) -> None:
    """The orientation is found on a half-size copy of a 300 dpi page, either way."""
    letter = LETTERS[2]
    page = draw(letter).rotate(turn, expand=True)
    assert_read(letter, write(page, tmp_path / "scan.png"), body_at_least=0.9)


@pytest.mark.slow
def test_a_pdf_of_two_pages_gives_a_searchable_pdf_of_two_pages(tmp_path: Path) -> None:
    first, second = draw(LETTERS[1]), draw(LETTERS[2])
    path = tmp_path / "scan.pdf"
    first.save(path, save_all=True, append_images=[second], resolution=300)
    scan = read_scan(path)
    assert scan.pages == 2
    assert scan.reading.value("last_name") == "Janssens"  # the sender is the first page's
    assert "Beschwerde" in scan.text
    assert scan.pdf.startswith(b"%PDF")
    assert scan.pdf.count(b"/Type /Page\n") + scan.pdf.count(b"/Type/Page") >= 2


@pytest.mark.parametrize("degrees", [-3.0, -1.5, 1.0, 2.4])
def test_the_lean_of_a_page_fed_askew_is_found(degrees: float) -> None:
    page = draw(LETTERS[2])
    assert skew_of(page) == 0.0
    assert skew_of(skewed(page, degrees)) == pytest.approx(-degrees, abs=0.2)


@pytest.mark.slow
def test_a_page_fed_askew_is_kept_level_in_the_searchable_pdf(tmp_path: Path) -> None:
    import pypdfium2

    scan = read_scan(write(skewed(draw(LETTERS[0]), 2.5), tmp_path / "scan.png"))
    kept = pypdfium2.PdfDocument(scan.pdf)[0].render(scale=300 / 72, grayscale=True).to_pil()
    assert abs(skew_of(kept)) <= 0.2
    assert scan.reading.value("town") == "Liège"


def test_a_file_that_is_no_scan_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "note.png"
    path.write_bytes(b"not an image at all")
    with pytest.raises(ScanUnreadable) as refused:
        read_scan(path)
    assert refused.value.key == "scan.reason_not_an_image"
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n broken")
    with pytest.raises(ScanUnreadable) as refused:
        read_scan(path)
    assert refused.value.key == "scan.reason_bad_pdf"

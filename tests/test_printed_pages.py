"""Every word printed is on the page: a letter's lines and a list's heading wrap, none runs
past the edge, where no reader sees it."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from plaintes_tui.domain.letters import Letter, write_pdf
from plaintes_tui.queue_list import write_pdf as write_list_pdf

HEAD = (
    "SPF Sécurité sociale — Service des plaintes — Centre Administratif Botanique, Finance "
    "Tower, Boulevard du Jardin Botanique 50 boîte 1, 1000 Bruxelles"
)
ADDRESS = [
    "Madame Marie-Christine Van den Broeck-Vandersmissen de Hemptinne",
    "Rue de la Loi 16 (3e étage, bureau 3.14, aile gauche, sonner deux fois)",
    "Vandersmissen-de-Hemptinne-de-Merode-Westerlo-Oostmalle-Zoersel",  # one word, too wide
    "1000 Bruxelles",
]
DATE = "Bruxelles, le 5 décembre 2026"
_MM = 72 / 25.4  # PDF points in a millimetre


def _on_the_page(path: Path, margin_mm: float) -> tuple[str, list[tuple[float, ...]]]:
    """The first page's text and each character's box, checked to end within the margin."""
    page = pypdfium2.PdfDocument(path)[0]
    width, _ = page.get_size()
    text = page.get_textpage()
    count = text.count_chars()
    boxes = [text.get_charbox(index) for index in range(count)]
    assert max(right for _, _, right, _ in boxes) <= width - margin_mm * _MM + 1
    return text.get_text_range(0, count), boxes


def test_a_long_address_and_letterhead_wrap_within_the_page(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "lettre.pdf",
        Letter("Votre plainte", "Madame,"),
        letterhead=[HEAD],
        address=ADDRESS,
        place_date=DATE,
    )
    shown, boxes = _on_the_page(path, 20)
    letters = "".join(shown.split())
    for line in [HEAD, *ADDRESS]:
        assert "".join(line.split()) in letters
    # the date below the address, however many lines it took
    last_of_address = shown.index("1000 Bruxelles", shown.index("Zoersel"))
    date = shown.index(DATE)
    assert boxes[date][3] < boxes[last_of_address][1]  # its top under the address's bottom


def test_a_lists_long_heading_wraps_within_the_page(tmp_path: Path) -> None:
    subtitle = " · ".join(f"filtre {n} : {ADDRESS[n % len(ADDRESS)]}" for n in range(6))
    path = write_list_pdf([], tmp_path / "liste.pdf", title="Dossiers", subtitle=subtitle)
    shown, _ = _on_the_page(path, 12)
    assert "".join(subtitle.split()) in "".join(shown.split())

"""Two scanned letters for the demo's inbox, as `scan import` leaves them, without a scanner
nor Tesseract: each letter's lines are given with where they stand and how sure a reading
would be, read by the same code as a real scan (``domain/letter_reading.py``), and kept with a
PDF of the page beside the e-mails."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from plaintes_tui.domain.letter_reading import ScanLine, read_letter
from plaintes_tui.domain.letters import FONTS
from plaintes_tui.scan_import import keep_scan, record_scan, scan_folder
from plaintes_tui.scanning import ReadScan
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store
from plaintes_tui.store.mailbox import is_known

# Each letter: days before today it was scanned, then its lines — (text, confidence, left,
# paragraph), top to bottom; the sender at the left, the service at the right.
_LETTERS = (
    (1, (
        ("Jean-Pierre Lemaire", 0.95, 0.1, 1), ("Rue de Fragnée 41", 0.93, 0.1, 1),
        ("4000 Liège", 0.94, 0.1, 1), ("0485 61 22 90", 0.9, 0.1, 1),
        ("SPF Sécurité sociale", 0.96, 0.56, 2), ("Service des plaintes", 0.96, 0.56, 2),
        ("Liège, le 27 novembre 2026", 0.92, 0.56, 3),
        ("Objet : allocation toujours pas versée", 0.9, 0.1, 4),
        ("Madame, Monsieur,", 0.95, 0.1, 5),
        ("Ma demande d'allocation a été introduite le 2 septembre. Malgré deux", 0.91, 0.1, 6),
        ("rappels, je n'ai reçu ni décision ni réponse, et le numéro indiqué", 0.9, 0.1, 6),
        ("sonne dans le vide. Je demande que mon dossier soit enfin traité.", 0.88, 0.1, 6),
        ("Veuillez agréer mes salutations distinguées.", 0.93, 0.1, 7),
        ("Jean-Pierre Lemaire", 0.9, 0.1, 8),
    )),
    (0, (
        ("Marleen Claes", 0.94, 0.1, 1), ("Stationstraat 8 bus 3", 0.61, 0.1, 1),
        ("3500 Hasselt", 0.92, 0.1, 1),
        ("FOD Sociale Zekerheid", 0.95, 0.56, 2), ("Klachtendienst", 0.95, 0.56, 2),
        ("Hasselt, 30 november 2026", 0.9, 0.56, 3),
        ("Betreft: onvriendelijk onthaal aan het loket", 0.89, 0.1, 4),
        ("Geachte mevrouw, geachte heer,", 0.94, 0.1, 5),
        ("Aan het loket werd ik op 20 november onvriendelijk ontvangen en men", 0.9, 0.1, 6),
        ("weigerde mijn documenten aan te nemen zonder uitleg. Ik vraag een", 0.72, 0.1, 6),
        ("verklaring en dat dit niet opnieuw gebeurt.", 0.9, 0.1, 6),
        ("Met vriendelijke groeten,", 0.93, 0.1, 7), ("Marleen Claes", 0.9, 0.1, 8),
    )),
)  # fmt: skip


def demo_scans(store: Store, *, settings: Settings, noon: datetime) -> int:
    """The demo's scanned letters in its inbox (each once); how many were added."""
    added = 0
    for days, given in _LETTERS:
        lines = tuple(
            ScanLine(text, confidence, left, top=0.07 + 0.035 * n, paragraph=paragraph)
            for n, (text, confidence, left, paragraph) in enumerate(given)
        )
        pdf = _page(lines)
        key = "scan:" + hashlib.sha256(pdf).hexdigest()
        if is_known(store, key):
            continue
        scan = ReadScan(1, lines, read_letter(lines), pdf)
        target = scan_folder(settings, key)
        keep_scan(target, target.with_suffix(".pdf"), pdf, scan)
        with store.write() as connection:
            received = noon - timedelta(days=days, hours=3)
            kept = record_scan(
                connection,
                key,
                scan,
                received,
                folder=target,
                source="demo",
                case_id=None,
                agent="demo",
                now=noon,
            )
        added += kept is not None
    return added


def _page(lines: tuple[ScanLine, ...]) -> bytes:
    """An A4 page with the letter's lines where they stand."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2026, 1, 1))  # the same bytes each time: imported once
    pdf.add_font("Scan", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.set_font("Scan", size=10)
    pdf.add_page()
    for line in lines:
        pdf.text(210 * line.left, 297 * line.top, line.text)
    return bytes(pdf.output())

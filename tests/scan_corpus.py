"""Letters as citizens post them, written in French, Dutch and German with a realistic sender's
block, drawn at 300 dpi as a scanner gives them, and degraded as paper and scanners degrade
them: noise, a skew of 1 to 3°, a fax-like copy, a page fed upside down. For the tests and
the bench (OCR accuracy)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

import plaintes_tui

FONT = Path(plaintes_tui.__file__).parent / "resources" / "fonts" / "DejaVuSans.ttf"
WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi
MARGIN, RIGHT = 250, 1400
LINE = 58


@dataclass(frozen=True)
class Letter:
    language: str
    first_name: str
    last_name: str
    street: str
    postal_code: str
    town: str
    email: str
    phone: str
    niss: str
    letter_date: str  # ISO
    date_line: str
    subject: str
    reference: str
    salutation: str
    body: tuple[str, ...]  # lines, as typed
    closing: str
    country: str = ""  # a line under the town, if the sender wrote one

    @property
    def text(self) -> str:
        return " ".join(self.body)


_SERVICE = {
    "fr": ("SPF Sécurité sociale", "Service des plaintes", "Boulevard du Jardin Botanique 50",
           "1000 Bruxelles"),
    "nl": ("FOD Sociale Zekerheid", "Klachtendienst", "Kruidtuinlaan 50", "1000 Brussel"),
    "de": ("FÖD Soziale Sicherheit", "Beschwerdedienst", "Botanischer Garten 50", "1000 Brüssel"),
}  # fmt: skip

LETTERS = (
    Letter(
        "fr", "Sophie", "Lambert", "Rue de la Station 12 bte 3", "4000", "Liège",
        "sophie.lambert@example.be", "0477 12 34 56", "85.07.30-033.28", "2026-11-28",
        "Liège, le 28 novembre 2026", "Concerne : votre référence P-2026-00958",
        "P-2026-00958", "Madame, Monsieur,",
        ("Je vous écris parce que ma demande d'allocation du 3 septembre est restée",
         "sans réponse malgré trois rappels par téléphone. On m'a promis un rappel",
         "qui n'est jamais venu. J'ai besoin d'une décision pour mon employeur."),
        "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
    ),
    Letter(
        "nl", "Pieter", "Janssens", "Kerkstraat 45 bus 2", "9000", "Gent",
        "pieter.janssens@example.be", "09 223 45 67", "", "2026-11-24",
        "Gent, 24 november 2026", "Betreft: klacht over de behandeling van mijn dossier",
        "", "Geachte mevrouw, geachte heer,",
        ("Sinds augustus wacht ik op een antwoord op mijn aanvraag. Telefonisch",
         "kreeg ik telkens een andere uitleg en niemand belde mij terug zoals",
         "beloofd. Ik vraag u om mijn dossier opnieuw te bekijken."),
        "Met vriendelijke groeten,",
    ),
    Letter(
        "de", "Jürgen", "Schmitz", "Hauptstraße 7", "4700", "Eupen",
        "juergen.schmitz@example.be", "087 55 12 34", "", "2026-11-20",
        "Eupen, den 20. November 2026", "Betreff: Beschwerde über die Bearbeitungsdauer",
        "", "Sehr geehrte Damen und Herren,",
        ("seit drei Monaten warte ich auf eine Entscheidung über meinen Antrag.",
         "Meine Briefe blieben ohne Antwort und am Telefon konnte mir niemand",
         "sagen, wann mein Antrag bearbeitet wird. Ich bitte um eine Antwort."),
        "Mit freundlichen Grüßen",
    ),
    Letter(
        "fr", "Marc", "VAN DEN BROECK", "Avenue Louise 231", "1050", "Ixelles",
        "marc.vdb@example.com", "+32 2 512 34 56", "", "2026-11-30",
        "Ixelles, le 30 novembre 2026", "Objet : accueil au guichet",
        "", "Madame, Monsieur,",
        ("Lors de ma visite au guichet le 12 novembre, l'agent a refusé de prendre",
         "mes documents sans m'expliquer pourquoi. Je souhaite une explication."),
        "Cordialement,",
        "Belgique",
    ),
)  # fmt: skip


_BODIES = {  # (salutation, body lines, closing) by language, for the bench's larger corpus
    "fr": ("Madame, Monsieur,",
           ("Depuis le mois de juin, je n'ai reçu aucune réponse à mon courrier",
            "concernant le remboursement de mes frais. Le service m'a renvoyé",
            "trois fois vers un autre numéro. Je demande que mon dossier soit traité."),
           "Veuillez agréer mes salutations distinguées."),
    "nl": ("Geachte heer, geachte mevrouw,",
           ("Mijn brief van juni over de terugbetaling van mijn kosten bleef",
            "onbeantwoord. Aan de telefoon werd ik telkens naar een ander nummer",
            "doorverwezen. Ik vraag dat mijn dossier eindelijk behandeld wordt."),
           "Hoogachtend,"),
    "de": ("Sehr geehrte Damen und Herren,",
           ("seit Juni habe ich keine Antwort auf mein Schreiben zur Erstattung",
            "meiner Kosten erhalten. Am Telefon wurde ich dreimal an eine andere",
            "Nummer verwiesen. Ich bitte Sie, meine Akte zu bearbeiten."),
           "Hochachtungsvoll"),
}  # fmt: skip
_SUBJECTS = {"fr": "Objet : ", "nl": "Betreft: ", "de": "Betreff: "}
_DATES = {
    "fr": "{town}, le {day} novembre 2026", "nl": "{town}, {day} november 2026",
    "de": "{town}, den {day}. November 2026",
}  # fmt: skip


def _letter(
    language: str, first: str, last: str, street: str, code: str, town: str, subject: str,
    day: int, country: str = "", niss: str = "",
) -> Letter:  # fmt: skip
    salutation, body, closing = _BODIES[language]
    email = f"{first[0].lower()}.{last.split()[-1].lower().replace(chr(39), '')}@example.be"
    return Letter(
        language, first, last, street, code, town, email, f"0471 23 45 {day:02d}", niss,
        f"2026-11-{day:02d}", _DATES[language].format(town=town, day=day),
        _SUBJECTS[language] + subject, "", salutation, body, closing, country,
    )  # fmt: skip


# Eight more senders, with what trips a reader: a box number, an apostrophe, a particle, a
# hyphenated town, a Umlaut, a sender abroad, a NISS.
MORE_LETTERS = (
    _letter("fr", "Hélène", "D'Hondt", "Rue des Wallons 8 bte 12", "1348",
            "Louvain-la-Neuve", "remboursement de mes frais", 16),
    _letter("nl", "Els", "De Smet", "Stationsstraat 102", "2800", "Mechelen",
            "terugbetaling van mijn kosten", 17, niss="90.02.01-997.04"),
    _letter("de", "Anna", "Müller", "Klötzerbahn 3", "4700", "Eupen",
            "Erstattung meiner Kosten", 18),
    _letter("fr", "Jean-Luc", "Dubois", "Chaussée de Mons 415", "7100", "La Louvière",
            "dossier sans réponse", 19),
    _letter("nl", "Jan", "Van der Veken", "Dorpsplein 1 bus 4", "1600",
            "Sint-Pieters-Leeuw", "geen antwoord op mijn brief", 20),
    _letter("fr", "Claire", "Martin", "12 rue de la Paix", "57000", "Metz",
            "ma pension belge", 23, country="France"),
    _letter("de", "Stefan", "Kessler", "Aachener Straße 21", "4720", "Kelmis",
            "keine Antwort", 24),
    _letter("fr", "Nadia", "El Amrani", "Avenue de la Couronne 77", "1050", "Ixelles",
            "accueil téléphonique", 25),
)  # fmt: skip
# The bench's corpus: the tests' letters and these.
ALL_LETTERS = LETTERS + MORE_LETTERS


def draw(letter: Letter) -> Image.Image:
    """The letter as a 300 dpi greyscale page: the sender at the top left, the service at the
    right, the date, the subject, the body, the closing and the signature."""
    font = ImageFont.truetype(str(FONT), 38)
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    pen = ImageDraw.Draw(page)
    sender = [
        f"{letter.first_name} {letter.last_name}",
        letter.street,
        f"{letter.postal_code} {letter.town}",
        *([letter.country] if letter.country else []),
        letter.email,
        letter.phone,
    ]
    y = 250
    for line in sender:
        pen.text((MARGIN, y), line, font=font, fill=0)
        y += LINE
    y = 700
    for line in _SERVICE[letter.language]:
        pen.text((RIGHT, y), line, font=font, fill=0)
        y += LINE
    y = 1100
    pen.text((RIGHT, y), letter.date_line, font=font, fill=0)
    y += 2 * LINE
    pen.text((MARGIN, y), letter.subject, font=font, fill=0)
    y += 2 * LINE
    pen.text((MARGIN, y), letter.salutation, font=font, fill=0)
    y += 2 * LINE
    for line in letter.body:
        pen.text((MARGIN, y), line, font=font, fill=0)
        y += LINE
    y += LINE
    pen.text((MARGIN, y), letter.closing, font=font, fill=0)
    y += 2 * LINE
    pen.text((MARGIN, y), f"{letter.first_name} {letter.last_name}", font=font, fill=0)
    if letter.niss:
        pen.text((MARGIN, y + LINE), f"NISS : {letter.niss}", font=font, fill=0)
    return page


def noisy(page: Image.Image, seed: int = 1) -> Image.Image:
    """Specks of dust and toner: one pixel in 60 flipped towards grey."""
    chance = random.Random(seed)
    noisy_page = page.copy()
    pixels = noisy_page.load()
    assert pixels is not None
    for _ in range(WIDTH * HEIGHT // 60):
        x, y = chance.randrange(WIDTH), chance.randrange(HEIGHT)
        pixels[x, y] = chance.choice((0, 90, 160, 255))
    return noisy_page


def skewed(page: Image.Image, degrees: float = 2.0) -> Image.Image:
    """Fed askew: turned by ``degrees`` (1 to 3 here)."""
    return page.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=255)


def faxed(page: Image.Image) -> Image.Image:
    """A fax-like copy: 200 × 100 dpi, black and white, blurred by the line, back to 300 dpi."""
    low = page.resize((WIDTH * 2 // 3, HEIGHT // 3), Image.Resampling.BILINEAR)
    low = low.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: 0 if v < 150 else 255)
    return low.resize((WIDTH, HEIGHT), Image.Resampling.NEAREST)


def upside_down(page: Image.Image) -> Image.Image:
    return page.rotate(180)


DEGRADATIONS = {"noisy": noisy, "skewed": skewed, "faxed": faxed, "upside_down": upside_down}


def write(page: Image.Image, path: Path) -> Path:
    page.save(path, dpi=(300, 300))
    return path

"""What a scanned letter says, found from the lines the OCR read: the sender's block, the
contacts wherever they stand, the letter's date, the case it answers, its body and language."""

from __future__ import annotations

from plaintes_tui.domain.letter_reading import ScanLine, read_letter


def lines(*texts: str, right: tuple[int, ...] = (), confidence: float = 0.95) -> list[ScanLine]:
    """One ScanLine a text, at the left of the page unless its index is in ``right``; an
    empty text starts a new paragraph."""
    made, paragraph = [], 0
    for index, text in enumerate(texts):
        if not text:
            paragraph += 1
            continue
        left = 0.6 if index in right else 0.1
        made.append(ScanLine(text, confidence, left=left, top=index / 60, paragraph=paragraph))
    return made


def test_a_french_letter_gives_its_sender_date_reference_body_and_language() -> None:
    reading = read_letter(
        lines(
            "Sophie Lambert",
            "Rue de la Station 12 bte 3",
            "4000 Liège",
            "SPF Sécurité sociale",
            "Service des plaintes",
            "1000 Bruxelles",
            "Liège, le 28 novembre 2026",
            "Concerne : votre référence P-2026-00958",
            "Madame, Monsieur,",
            "",
            "Je vous écris parce que ma demande est restée sans réponse malgré trois rap-",
            "pels. J'ai besoin d'une décision pour mon employeur.",
            "",
            "Le second paragraphe de la lettre.",
            "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
            "Sophie Lambert",
            "NISS : 85.07.30-033.28",
            right=(3, 4, 5, 6),
        )
    )
    assert reading.as_json() | {"confidence": None} == {
        "letter_date": "2026-11-28",
        "place": "Liège",
        "postal_code": "4000",
        "town": "Liège",
        "street": "Rue de la Station 12 bte 3",
        "last_name": "Lambert",
        "first_name": "Sophie",
        "reference": "P-2026-00958",
        "niss": "85073003328",
        "subject": "votre référence P-2026-00958",
        "text": "Je vous écris parce que ma demande est restée sans réponse malgré trois "
        "rappels. J'ai besoin d'une décision pour mon employeur.\n\n"
        "Le second paragraphe de la lettre.",
        "language": "fr",
        "confidence": None,
    }


def test_names_in_capitals_and_with_particles_keep_the_last_name_whole() -> None:
    assert (
        read_letter(lines("VAN DEN BROECK Marc", "Avenue Louise 231", "1050 Ixelles")).value(
            "last_name"
        )
        == "VAN DEN BROECK"
    )
    reading = read_letter(lines("Jan van der Berg", "Kerkstraat 4", "9000 Gent"))
    assert (reading.value("first_name"), reading.value("last_name")) == ("Jan", "van der Berg")
    reading = read_letter(lines("Mme Anne Dubois", "Rue Haute 1", "1300 Wavre"))
    assert (reading.value("first_name"), reading.value("last_name")) == ("Anne", "Dubois")
    reading = read_letter(lines("Nadia El Amrani", "Avenue de la Couronne 77", "1050 Ixelles"))
    assert (reading.value("first_name"), reading.value("last_name")) == ("Nadia", "El Amrani")


def test_a_dutch_and_a_german_letter() -> None:
    reading = read_letter(
        lines(
            "Pieter Janssens",
            "Kerkstraat 45 bus 2",
            "9000 Gent",
            "pieter.janssens@example.be",
            "09 223 45 67",
            "Gent, 24 november 2026",
            "Betreft: klacht over mijn dossier",
            "Geachte mevrouw, geachte heer,",
            "Sinds augustus wacht ik op een antwoord op mijn aanvraag voor de uitkering.",
            "Met vriendelijke groeten,",
        )
    )
    assert reading.value("email") == "pieter.janssens@example.be"
    assert reading.value("phone") == "+3292234567"
    assert reading.value("letter_date") == "2026-11-24"
    assert reading.value("subject") == "klacht over mijn dossier"
    assert reading.value("language") == "nl"
    reading = read_letter(
        lines(
            "Jürgen Schmitz",
            "Hauptstraße 7",
            "4700 Eupen",
            "Eupen, den 20. November 2026",
            "Sehr geehrte Damen und Herren,",
            "seit drei Monaten warte ich auf eine Entscheidung über meinen Antrag.",
            "Mit freundlichen Grüßen",
        )
    )
    assert reading.value("letter_date") == "2026-11-20"
    assert reading.value("town") == "Eupen"
    assert reading.value("language") == "de"
    assert reading.value("text").startswith("seit drei Monaten")


def test_a_country_under_the_town_and_a_sender_abroad() -> None:
    reading = read_letter(lines("Claire Martin", "12 rue des Lilas", "59000 Lille", "France"))
    assert (reading.value("postal_code"), reading.value("town")) == ("59000", "Lille")
    assert reading.value("country") == "FR"
    reading = read_letter(lines("Anne Peeters", "Rue Haute 1", "1300 Wavre", "Belgique"))
    assert reading.value("country") == "BE"


def test_what_is_not_there_or_impossible_is_absent_never_guessed() -> None:
    reading = read_letter(
        lines(
            "Bonjour,",
            "Bruxelles, le 31 février 2026",
            "Mon numéro national est 85.07.30-033.29 et mon dossier 2026-958.",
            "Appelez le 12 34.",
        )
    )
    for name in ("letter_date", "niss", "reference", "phone", "email", "postal_code"):
        assert name not in reading.fields, name
    assert read_letter([]).as_json() == {"confidence": {}}


def test_each_field_carries_the_confidence_of_the_words_it_came_from() -> None:
    reading = read_letter(
        [
            ScanLine("Sophie Lambert", 0.55, left=0.1),
            ScanLine("Rue de la Station 12", 0.9, left=0.1),
            ScanLine("4000 Liège", 0.97, left=0.1),
        ]
    )
    assert reading.fields["last_name"].doubtful
    assert not reading.fields["town"].doubtful
    assert reading.as_json()["confidence"] == {
        "postal_code": 0.97,
        "town": 0.97,
        "street": 0.9,
        "last_name": 0.55,
        "first_name": 0.55,
    }

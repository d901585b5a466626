"""The words of the demo data: names, places, complaints, and how often each kind occurs.

Every string the demo store holds comes from here, so SQLite can take it from a lookup table
by number (see ``expand.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import TypeVar

from plaintes_tui.domain.cases import Admissibility, Category, Channel, NetworkCategory, Outcome

HISTORY_DAYS = 548  # 18 months
DEMO_AGENTS = ("amartin", "bjanssens", "cdubois", "dpeeters", "emuller")
DEMO_NOTE = "données de démonstration"

_NAMES = {
    "fr": (
        "Dubois Lambert Martin Dupont Leroy Lejeune Renard Laurent Simon Michel Lefèvre Mercier "
        "Hubert Marchal Collard Denis François Noël Gérard Masson Bertrand Rousseau "
        "Moreau Fontaine Chevalier Gilson Piron Delvaux Lemaire Lefebvre",
        "Marie Jean Sophie Pierre Nathalie Luc Isabelle Philippe Catherine Michel Hélène "
        "Françoise Thierry Céline Benoît Chloé Jérôme Aurélie Noémie Grégoire Élodie Raphaël",
    ),
    "nl": (
        "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet Dubois "
        "Vermeulen Van_den_Broeck Hermans Aerts Van_Damme Verstraete Desmet Coppens Lemmens",
        "Jan Els Koen An Bart Sofie Tom Katrien Wim Lieve Pieter Griet Joris Annelies Maarten "
        "Ilse Dirk Hilde Jens Fien",
    ),
    "de": (
        "Müller Schmitz Meyer Lentz Kreutz Hilgers Heinen Jost Cremer Mockel Gentges Rauw",
        "Jürgen Monika Klaus Sabine Günter Ursula Stefan Birgit Jörg Käthe",
    ),
}
_TOWNS = {
    "fr": [
        ("1000", "Bruxelles"),
        ("1060", "Saint-Gilles"),
        ("4000", "Liège"),
        ("5000", "Namur"),
        ("6000", "Charleroi"),
        ("7000", "Mons"),
        ("1300", "Wavre"),
        ("6700", "Arlon"),
    ],
    "nl": [
        ("2000", "Antwerpen"),
        ("9000", "Gent"),
        ("3000", "Leuven"),
        ("8000", "Brugge"),
        ("3500", "Hasselt"),
        ("2800", "Mechelen"),
        ("1080", "Sint-Jans-Molenbeek"),
    ],
    "de": [("4700", "Eupen"), ("4780", "Sankt Vith"), ("4730", "Raeren")],
}
_STREETS = {
    "fr": ["Rue de la Loi", "Avenue Louise", "Rue Haute", "Chaussée de Namur", "Rue du Pont"],
    "nl": ["Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Nieuwstraat"],
    "de": ["Hauptstraße", "Kirchstraße", "Bergstraße", "Aachener Straße"],
}
_SUBJECTS: dict[Category, list[tuple[str, str]]] = {
    Category.SLOW_REACTION: [
        (
            "Pas de réponse à mon courrier",
            "J'ai envoyé un courrier le mois passé concernant mon dossier et je n'ai toujours "
            "reçu aucune réponse, malgré deux rappels par téléphone. Personne ne semble savoir "
            "où en est ma demande.",
        ),
        (
            "Délai de traitement trop long",
            "Cela fait plus de trois mois que j'attends une suite à ma demande. On me répond "
            "chaque fois que le dossier est en cours, sans plus de précision.",
        ),
        (
            "E-mails restés sans suite",
            "J'ai écrit à trois reprises à l'adresse indiquée sur votre site. Je n'ai reçu "
            "qu'un message automatique. J'ai besoin d'une réponse pour mon employeur.",
        ),
    ],
    Category.STAFF_CONDUCT: [
        (
            "Accueil téléphonique désagréable",
            "La personne qui m'a répondu au téléphone a été impolie et m'a raccroché au nez "
            "alors que j'essayais d'expliquer ma situation.",
        ),
        (
            "Collaborateur peu serviable",
            "Au guichet, le collaborateur a refusé de regarder mon dossier et m'a renvoyé vers "
            "un autre service, qui m'a renvoyé vers lui.",
        ),
        (
            "Informations contradictoires de deux agents",
            "Deux collaborateurs m'ont donné des réponses opposées au sujet des documents à "
            "fournir. J'ai dû me déplacer deux fois pour rien.",
        ),
    ],
    Category.IMPRECISE_INFORMATION: [
        (
            "Information imprécise sur les documents à fournir",
            "Le courrier reçu ne précise pas quels justificatifs je dois envoyer, ni à quelle "
            "adresse. J'ai appelé mais on n'a pas pu me répondre.",
        ),
        (
            "Montant incompréhensible",
            "Le décompte que j'ai reçu ne mentionne pas comment le montant a été calculé. "
            "Je voudrais comprendre d'où vient la différence avec l'année passée.",
        ),
    ],
    Category.UNCLEAR_PUBLICATION: [
        (
            "Brochure peu claire",
            "La brochure sur les allocations est rédigée dans un jargon administratif "
            "incompréhensible. Les exemples ne correspondent à aucune situation réelle.",
        ),
        (
            "Page web obsolète",
            "La page de votre site sur les formulaires renvoie vers des documents qui "
            "n'existent plus. Impossible de trouver la bonne version.",
        ),
    ],
    Category.OTHER: [
        (
            "Contestation de ma décision de pension",
            "Je ne suis pas d'accord avec le montant de la décision que j'ai reçue et je "
            "demande qu'elle soit revue.",
        ),
        (
            "Reconnaissance de handicap",
            "Ma demande d'allocation auprès de la DG Personnes handicapées traîne depuis "
            "des mois et personne ne me répond.",
        ),
        (
            "Question sur mes cotisations",
            "Je voudrais savoir combien de cotisations j'ai payées l'an dernier et où je peux "
            "trouver cette information.",
        ),
    ],
}
# Belgian numbering: (digits after +32 that start the number, digits that follow).
_PHONE_PLANS = [
    ("47", 7),
    ("48", 7),
    ("49", 7),
    ("22", 6),
    ("25", 6),
    ("81", 6),
    ("71", 6),
    ("87", 6),
]
_CHANNEL_WEIGHTS = {
    Channel.PHONE: 38,
    Channel.EMAIL: 34,
    Channel.LETTER: 17,
    Channel.WEB_FORM: 11,
}
_ADMISSIBILITY_WEIGHTS = {
    Admissibility.ADMISSIBLE: 69,
    Admissibility.CONTESTED_DECISION: 8,
    Admissibility.DISPUTE: 5,
    Admissibility.REDIRECTED_DG_HANDICAP: 4,
    Admissibility.OTHER_INSTITUTION: 3,
    Admissibility.NOT_A_COMPLAINT: 7,
    Admissibility.INCOMPLETE: 4,
}
_OUTCOME_WEIGHTS = {
    Outcome.FOUNDED: 30,
    Outcome.PARTLY_FOUNDED: 25,
    Outcome.UNFOUNDED: 35,
    Outcome.NO_ASSESSMENT: 10,
}


T = TypeVar("T")


def pool(weights: Mapping[T, int]) -> tuple[T, ...]:
    """A tuple in which each value stands as often as its weight: one random index picks."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


def email_part(name: str) -> str:
    """``Hélène`` → ``helene``, ``Van Damme`` → ``vandamme``: as people write them in addresses."""
    folded = unicodedata.normalize("NFKD", name.lower().replace(" ", ""))
    return folded.encode("ascii", "ignore").decode()


LANGUAGES = ("fr", "nl", "de")
LANGUAGE_POOL = pool({0: 11, 1: 8, 2: 1})  # indexes into LANGUAGES
CHANNEL_POOL = tuple(c.value for c in pool(_CHANNEL_WEIGHTS))
ADMISSIBILITY_POOL = pool(_ADMISSIBILITY_WEIGHTS)
OUTCOME_POOL = tuple(o.value for o in pool(_OUTCOME_WEIGHTS))
REPLY_LAG_POOL = pool({lag: 1 + min(lag - 6, 45 - lag) for lag in range(6, 46)})  # ~3 weeks
ACK_LAGS = (1, 1, 2, 2, 3, 4, 5, 6, 9)
MEANS = ("email", "letter", "email", "phone")
ADMISSIBLE_KINDS = tuple(Category)[:4]
NETWORK_CATEGORIES = tuple(c.value for c in NetworkCategory)
# A phone number is base + a draw below span: +32 47 1234567 is 471234567 + 32e9.
PHONE_PLANS = tuple(
    (int(f"32{prefix}") * 10**length + 10 ** (length - 1), 9 * 10 ** (length - 1))
    for prefix, length in _PHONE_PLANS
)

# The lookup tables: each string once, found by its index.
NAMES = tuple(
    sorted(
        {
            n.replace("_", " ")
            for last, first in _NAMES.values()
            for n in (last + " " + first).split()
        }
    )
)
NAME_IDS = {
    LANGUAGES.index(language): (
        tuple(NAMES.index(n.replace("_", " ")) for n in last.split()),
        tuple(NAMES.index(n) for n in first.split()),
    )
    for language, (last, first) in _NAMES.items()
}
STREETS = tuple(street for language in LANGUAGES for street in _STREETS[language])
STREET_IDS = {
    index: tuple(STREETS.index(s) for s in _STREETS[language])
    for index, language in enumerate(LANGUAGES)
}
TOWNS = tuple(town for language in LANGUAGES for town in _TOWNS[language])
TOWN_IDS = {
    index: tuple(TOWNS.index(t) for t in _TOWNS[language])
    for index, language in enumerate(LANGUAGES)
}
TEXTS = tuple(
    (category.value, subject, description)
    for category, texts in _SUBJECTS.items()
    for subject, description in texts
)
TEXT_IDS = {
    category: tuple(i for i, text in enumerate(TEXTS) if text[0] == category.value)
    for category in Category
}

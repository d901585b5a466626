"""Realistic demo data, the same for the same seed: complainants, cases at every stage, journal.

Built column by column with bulk inserts, so a million cases take seconds, not minutes.
Receipts fall over the 18 months before ``today``; older cases are mostly closed, recent ones
still running, and some acknowledgements and replies are overdue.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import TypeVar

from plaintes_tui.domain.cases import (
    Admissibility,
    Category,
    Channel,
    ClockState,
    NetworkCategory,
    Outcome,
    Status,
    format_reference,
)
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.store.database import Store

HISTORY_DAYS = 548  # 18 months
BATCH = 20_000
DEMO_AGENTS = ("amartin", "bjanssens", "cdubois", "dpeeters", "emuller")

_NAMES = {
    "fr": (
        "Dubois Lambert Martin Dupont Leroy Lejeune Renard Laurent Simon Michel Lefèvre Mercier "
        "Hubert Marchal Collard Denis François Noël Gérard Masson Hélène Bertrand Rousseau "
        "Moreau Fontaine Chevalier Gilson Piron Delvaux Lemaire",
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
_SUBJECTS: dict[str, list[tuple[str, str]]] = {
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
    Admissibility.ADMISSIBLE: 72,
    Admissibility.CONTESTED_DECISION: 8,
    Admissibility.DISPUTE: 5,
    Admissibility.REDIRECTED_DG_HANDICAP: 4,
    Admissibility.NOT_A_COMPLAINT: 7,
    Admissibility.INCOMPLETE: 4,
}
_OUTCOME_WEIGHTS = {
    Outcome.FOUNDED: 30,
    Outcome.PARTLY_FOUNDED: 25,
    Outcome.UNFOUNDED: 35,
    Outcome.NO_ASSESSMENT: 10,
}


def niss_for(birth: date, serial: int) -> str:
    """A national register number that validates: YYMMDD, a serial, two check digits."""
    body = f"{birth:%y%m%d}{serial:03d}"
    base = int(("2" + body) if birth.year >= 2000 else body)
    return f"{body}{97 - base % 97:02d}"


@dataclass(frozen=True)
class DemoResult:
    cases: int
    complainants: int


K = TypeVar("K")


def _weighted(rng: random.Random, weights: Mapping[K, int], k: int) -> list[K]:
    return rng.choices(list(weights), list(weights.values()), k=k)


def _complainant_rows(
    rng: random.Random, first_id: int, languages: Sequence[str], now_text: str
) -> Iterator[tuple[object, ...]]:
    for offset, language in enumerate(languages):
        last_names, first_names = _NAMES[language]
        last = rng.choice(last_names.split(" ")).replace("_", " ")
        first = rng.choice(first_names.split(" "))
        has_phone = rng.random() < 0.8
        has_email = rng.random() < 0.7
        prefix, length = rng.choice(_PHONE_PLANS)
        phone = f"+32{prefix}{rng.randrange(10 ** (length - 1), 10**length)}"
        email = f"{first.lower()}.{last.lower().replace(' ', '')}{rng.randrange(100)}@example.be"
        postal_code, town = rng.choice(_TOWNS[language])
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        yield (
            first_id + offset,
            last,
            first,
            phone if has_phone else None,
            email if has_email else None,
            f"{rng.choice(_STREETS[language])} {rng.randrange(1, 200)}",
            postal_code,
            town,
            language,
            niss_for(birth, rng.randrange(1, 998)) if rng.random() < 0.4 else None,
            now_text,
            "demo",
        )


def generate_demo(
    store: Store,
    *,
    cases: int,
    seed: int,
    today: date,
    calculator: DeadlineCalculator,
    agent: str = "demo",
) -> DemoResult:
    """Add ``cases`` demo cases (and their complainants) to the store."""
    rng = random.Random(seed)
    connection = store.connection
    with store.write():
        first_complainant = _next_id(store, "complainants")
        first_case = _next_id(store, "cases")
        counters = dict(connection.execute("SELECT year, last_number FROM reference_counters"))
    # Roughly one complainant in eight comes back with a second complaint.
    complainant_count = max(1, cases * 7 // 8)
    now_text = datetime.combine(today, datetime.min.time()).isoformat(timespec="seconds")
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS)]
    clocks = {day: calculator.clocks(day) for day in days}

    languages = rng.choices(["fr", "nl", "de"], [55, 40, 5], k=complainant_count)
    people = _complainant_rows(rng, first_complainant, languages, now_text)
    while batch := list(islice(people, BATCH)):
        with store.write():
            connection.executemany(
                "INSERT INTO complainants (id, last_name, first_name, phone, email, street, "
                "postal_code, town, language, niss, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch,
            )

    # Oldest first, so references grow with the date of receipt as they do in real life; more
    # cases in recent months than long ago.
    ages = sorted((int(HISTORY_DAYS * rng.random() ** 1.2) for _ in range(cases)), reverse=True)
    done = 0
    while done < cases:
        size = min(BATCH, cases - done)
        case_rows = []
        journal_rows = []
        channels = _weighted(rng, _CHANNEL_WEIGHTS, size)
        decisions = _weighted(rng, _ADMISSIBILITY_WEIGHTS, size)
        for i in range(size):
            case_id = first_case + done + i
            received = days[ages[done + i]]
            year = received.year
            counters[year] = counters.get(year, 0) + 1
            reference = format_reference(year, counters[year])
            person = rng.randrange(complainant_count)
            row = _case_row(
                rng,
                received=received,
                today=today,
                decision=Admissibility(decisions[i]),
                ack_due=clocks[received].acknowledgement_due,
                reply_due=clocks[received].reply_due,
            )
            category = str(row.pop("category"))
            subject, description = rng.choice(_SUBJECTS[category])
            language = languages[person]
            logged_at = datetime.combine(
                received + timedelta(days=2 if channels[i] == "letter" else 0),
                datetime.min.time(),
            ) + timedelta(hours=8 + rng.randrange(9), minutes=rng.randrange(60))
            logged_text = logged_at.isoformat(timespec="seconds")
            case_rows.append(
                (
                    case_id,
                    reference,
                    first_complainant + person,
                    channels[i],
                    received.isoformat(),
                    logged_text,
                    rng.choice(DEMO_AGENTS),
                    language,
                    category,
                    subject,
                    description,
                    int(rng.random() < 0.03),
                    row["status"],
                    row["admissibility"],
                    row["assigned_to"],
                    clocks[received].acknowledgement_due.isoformat(),
                    row["acknowledgement_sent"],
                    row["acknowledgement_means"],
                    row["reply_due"],
                    row["reply_due"],
                    row["reply_sent"],
                    row["outcome"],
                    row["network_category"],
                    row["closed_at"],
                    row["ombudsman_referred"],
                    row["next_due"],
                    logged_text,
                    agent,
                )
            )
            journal_rows.append(
                (
                    case_id,
                    1,
                    logged_text,
                    agent,
                    "logged",
                    json.dumps({"channel": [None, channels[i]]}),
                    "données de démonstration",
                )
            )
        with store.write():
            connection.executemany(
                "INSERT INTO cases (id, reference, complainant_id, channel, received, logged_at, "
                "logged_by, language, category, subject, description, urgent, status, "
                "admissibility, assigned_to, acknowledgement_due, acknowledgement_sent, "
                "acknowledgement_means, reply_due_original, reply_due, reply_sent, outcome, "
                "network_category, closed_at, ombudsman_referred, next_due, updated_at, "
                "updated_by) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                case_rows,
            )
            connection.executemany(
                "INSERT INTO journal (case_id, case_version, at, agent, action, changes, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                journal_rows,
            )
            connection.executemany(
                "INSERT INTO reference_counters (year, last_number) VALUES (?, ?) "
                "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number",
                sorted(counters.items()),
            )
        done += size
    with store.write():
        connection.execute(
            "UPDATE cases SET contact_incomplete = 1 WHERE id >= ? AND complainant_id IN "
            "(SELECT id FROM complainants WHERE phone IS NULL AND email IS NULL)",
            (first_case,),
        )
    return DemoResult(cases=cases, complainants=complainant_count)


def _next_id(store: Store, table: str) -> int:
    (last,) = store.connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return int(last) + 1


def _case_row(
    rng: random.Random,
    *,
    received: date,
    today: date,
    decision: Admissibility,
    ack_due: date,
    reply_due: date,
) -> dict[str, object]:
    """Where a case of that age stands today: decided, acknowledged, answered, closed."""
    age = (today - received).days
    row: dict[str, object] = {
        "admissibility": None,
        "assigned_to": rng.choice(DEMO_AGENTS) if rng.random() < 0.85 else None,
        "acknowledgement_sent": None,
        "acknowledgement_means": None,
        "reply_due": reply_due.isoformat(),
        "reply_sent": None,
        "outcome": None,
        "network_category": None,
        "closed_at": None,
        "ombudsman_referred": None,
    }
    category = rng.choice(list(Category)[:4])
    checked = age > rng.randrange(0, 4)
    if not checked:
        row["category"] = category
        row["status"] = Status.RECEIVED.value
        row["next_due"] = _next_due(row, ack_due)
        return row
    row["admissibility"] = decision.value
    ack_lag = rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 9])
    forgotten = age < 40 and rng.random() < 0.05  # some recent acknowledgements are late
    if received + timedelta(days=ack_lag) <= today and not forgotten:
        row["acknowledgement_sent"] = (received + timedelta(days=ack_lag)).isoformat()
        row["acknowledgement_means"] = rng.choice(["email", "letter", "email", "phone"])
    if not decision.has_reply_clock:
        row["category"] = Category.OTHER
        row["reply_due"] = None
        if row["acknowledgement_sent"]:
            row["status"] = Status.CLOSED.value
            row["closed_at"] = row["acknowledgement_sent"]
        else:
            row["status"] = Status.OUT_OF_SCOPE.value
        row["next_due"] = _next_due(row, ack_due)
        return row
    row["category"] = category
    if decision is Admissibility.INCOMPLETE:
        row["status"] = Status.INCOMPLETE.value
        row["next_due"] = _next_due(row, ack_due)
        if age > 90:  # old incomplete cases were closed without news from the complainant
            row["status"] = Status.CLOSED.value
            row["closed_at"] = (received + timedelta(days=60)).isoformat()
            row["next_due"] = None
        return row
    reply_lag = int(rng.triangular(6, 45, 22))
    stuck = age < 75 and rng.random() < 0.08  # some recent replies run late
    if received + timedelta(days=reply_lag) <= today and not stuck:
        row["reply_sent"] = (received + timedelta(days=reply_lag)).isoformat()
        outcome = Outcome(_weighted(rng, _OUTCOME_WEIGHTS, 1)[0])
        row["outcome"] = outcome.value
        row["network_category"] = rng.choice(list(NetworkCategory)).value
        if age > reply_lag + 7 or rng.random() < 0.5:
            row["status"] = Status.CLOSED.value
            row["closed_at"] = row["reply_sent"]
            if rng.random() < 0.02:
                row["ombudsman_referred"] = (received + timedelta(days=reply_lag + 20)).isoformat()
        else:
            row["status"] = Status.REPLIED.value
    else:
        row["status"] = Status.IN_PROGRESS.value
    row["next_due"] = _next_due(row, ack_due)
    return row


def _next_due(row: dict[str, object], ack_due: date) -> str | None:
    def day(value: object) -> date | None:
        return date.fromisoformat(str(value)) if value else None

    due = ClockState(
        status=Status(str(row["status"])),
        acknowledgement_due=ack_due,
        acknowledgement_sent=day(row["acknowledgement_sent"]),
        reply_due=day(row["reply_due"]),
        reply_sent=day(row["reply_sent"]),
    ).next_due()
    return due.isoformat() if due else None


def sample_names(rng: random.Random, k: int) -> Sequence[str]:
    """A few demo last names, for tests and benchmarks that search them."""
    return [rng.choice(_NAMES["fr"][0].split(" ")) for _ in range(k)]

"""Realistic demo data, the same for the same seed: complainants, cases at every stage, journal.

Built column by column with bulk inserts, so a million cases take seconds, not minutes.
Receipts fall over the 18 months before ``today``; older cases are mostly closed, recent ones
still running, and some acknowledgements and replies are overdue.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
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
)
from plaintes_tui.domain.deadlines import Clocks, DeadlineCalculator
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
T = TypeVar("T")


def _weighted(rng: random.Random, weights: Mapping[K, int], k: int) -> list[K]:
    return rng.choices(list(weights), list(weights.values()), k=k)


class _DemoWriter:
    """Generates and inserts demo rows in batches; one instance per ``generate_demo`` call."""

    def __init__(
        self,
        store: Store,
        *,
        seed: int,
        today: date,
        calculator: DeadlineCalculator,
        agent: str,
    ) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.connection = store.connection
        self.today = today
        self.agent = agent
        self.days = [today - timedelta(days=n) for n in range(HISTORY_DAYS)]
        self.iso = [day.isoformat() for day in self.days]
        self.clocks = [calculator.clocks(day) for day in self.days]
        self.no_contact: list[bool] = []
        self.languages: list[str] = []

    def pick(self, options: Sequence[T]) -> T:
        return options[int(self.random() * len(options))]

    def complainant_rows(self, first_id: int, count: int) -> Iterator[tuple[object, ...]]:
        rng, random_ = self.rng, self.random
        now_text = f"{self.today.isoformat()}T00:00:00"
        split_names = {
            language: ([n.replace("_", " ") for n in last.split()], first.split())
            for language, (last, first) in _NAMES.items()
        }
        self.languages = [str(x) for x in rng.choices(["fr", "nl", "de"], [55, 40, 5], k=count)]
        for offset, language in enumerate(self.languages):
            last_names, first_names = split_names[language]
            last = self.pick(last_names)
            first = self.pick(first_names)
            prefix, length = self.pick(_PHONE_PLANS)
            phone = (
                f"+32{prefix}{int(10 ** (length - 1) * (1 + 9 * random_()))}"
                if random_() < 0.8
                else None
            )
            email = (
                f"{first.lower()}.{last.lower().replace(' ', '')}{int(random_() * 100)}@example.be"
                if random_() < 0.7
                else None
            )
            self.no_contact.append(phone is None and email is None)
            postal_code, town = self.pick(_TOWNS[language])
            niss = None
            if random_() < 0.4:
                birth = date.fromordinal(_BIRTH_FROM + int(random_() * 365 * 65))
                niss = niss_for(birth, 1 + int(random_() * 997))
            yield (
                first_id + offset,
                last,
                first,
                phone,
                email,
                f"{self.pick(_STREETS[language])} {1 + int(random_() * 199)}",
                postal_code,
                town,
                language,
                niss,
                now_text,
                "demo",
            )

    def case_rows(
        self, first_id: int, count: int, first_complainant: int, counters: dict[int, int]
    ) -> Iterator[tuple[tuple[object, ...], tuple[object, ...]]]:
        """(case row, journal row) pairs, oldest receipt first, as references grow in life."""
        random_ = self.random
        people = len(self.languages)
        ages = sorted((int(HISTORY_DAYS * random_() ** 1.2) for _ in range(count)), reverse=True)
        channels = _weighted(self.rng, _CHANNEL_WEIGHTS, count)
        decisions = _weighted(self.rng, _ADMISSIBILITY_WEIGHTS, count)
        journal_changes = {c: json.dumps({"channel": [None, c.value]}) for c in Channel}
        for i in range(count):
            age = ages[i]
            received = self.days[age]
            counters[received.year] = number = counters.get(received.year, 0) + 1
            person = int(random_() * people)
            channel = channels[i]
            clocks = self.clocks[age]
            state = self._state(age, decisions[i], clocks)
            subject, description = self.pick(_SUBJECTS[state.category])
            logged_day = self.iso[max(0, age - 2)] if channel is Channel.LETTER else self.iso[age]
            logged = f"{logged_day}T{8 + int(random_() * 9):02d}:{int(random_() * 60):02d}:00"
            case_id = first_id + i
            yield (
                (
                    case_id,
                    f"P-{received.year}-{number:05d}",
                    first_complainant + person,
                    channel.value,
                    self.iso[age],
                    logged,
                    self.pick(DEMO_AGENTS),
                    self.languages[person],
                    state.category.value,
                    subject,
                    description,
                    int(random_() < 0.03),
                    int(self.no_contact[person]),
                    state.status.value,
                    state.admissibility,
                    state.assigned_to,
                    clocks.acknowledgement_due.isoformat(),
                    state.acknowledgement_sent,
                    state.acknowledgement_means,
                    state.reply_due,
                    state.reply_due,
                    state.reply_sent,
                    state.outcome,
                    state.network_category,
                    state.closed_at,
                    state.ombudsman_referred,
                    state.next_due,
                    logged,
                    self.agent,
                ),
                (case_id, 1, logged, self.agent, "logged", journal_changes[channel], _DEMO_NOTE),
            )

    def _state(self, age: int, decision: Admissibility, clocks: Clocks) -> _CaseState:
        """Where a case of that age stands today: decided, acknowledged, answered, closed."""
        random_ = self.random
        day = self.iso
        state = _CaseState(
            category=self.pick(_ADMISSIBLE_KINDS),
            assigned_to=self.pick(DEMO_AGENTS) if random_() < 0.85 else None,
            reply_due=clocks.reply_due.isoformat(),
        )
        if age < int(random_() * 4):  # too recent: not checked yet
            return state.finish(clocks)
        state.admissibility = decision.value
        ack_lag = self.pick(_ACK_LAGS)
        forgotten = age < 40 and random_() < 0.05  # some recent acknowledgements are late
        if ack_lag <= age and not forgotten:
            state.acknowledgement_sent = day[age - ack_lag]
            state.acknowledgement_means = self.pick(_MEANS)
        if not decision.has_reply_clock:
            state.category = Category.OTHER
            state.reply_due = None
            if state.acknowledgement_sent:  # the answer saying where to go closes it
                state.status = Status.CLOSED
                state.closed_at = state.acknowledgement_sent
            else:
                state.status = Status.OUT_OF_SCOPE
            return state.finish(clocks)
        if decision is Admissibility.INCOMPLETE:
            state.status = Status.INCOMPLETE
            if age > 90:  # old ones were closed without news from the complainant
                state.status = Status.CLOSED
                state.closed_at = day[age - 60]
            return state.finish(clocks)
        reply_lag = int(self.rng.triangular(6, 45, 22))
        stuck = age < 75 and random_() < 0.08  # some recent replies run late
        if reply_lag <= age and not stuck:
            state.reply_sent = day[age - reply_lag]
            state.outcome = _weighted(self.rng, _OUTCOME_WEIGHTS, 1)[0].value
            state.network_category = self.pick(_NETWORK_CATEGORIES).value
            if age > reply_lag + 7 or random_() < 0.5:
                state.status = Status.CLOSED
                state.closed_at = state.reply_sent
                if random_() < 0.02 and age > reply_lag + 20:
                    state.ombudsman_referred = day[age - reply_lag - 20]
            else:
                state.status = Status.REPLIED
        else:
            state.status = Status.IN_PROGRESS
        return state.finish(clocks)


@dataclass(slots=True)
class _CaseState:
    category: Category
    assigned_to: str | None
    reply_due: str | None
    status: Status = Status.RECEIVED
    admissibility: str | None = None
    acknowledgement_sent: str | None = None
    acknowledgement_means: str | None = None
    reply_sent: str | None = None
    outcome: str | None = None
    network_category: str | None = None
    closed_at: str | None = None
    ombudsman_referred: str | None = None
    next_due: str | None = None

    def finish(self, clocks: Clocks) -> _CaseState:
        due = ClockState(
            status=self.status,
            acknowledgement_due=clocks.acknowledgement_due,
            acknowledgement_sent=date.fromisoformat(self.acknowledgement_sent)
            if self.acknowledgement_sent
            else None,
            reply_due=date.fromisoformat(self.reply_due) if self.reply_due else None,
            reply_sent=date.fromisoformat(self.reply_sent) if self.reply_sent else None,
        ).next_due()
        self.next_due = due.isoformat() if due else None
        return self


_DEMO_NOTE = "données de démonstration"
_BIRTH_FROM = date(1940, 1, 1).toordinal()
_ACK_LAGS = (1, 1, 2, 2, 3, 4, 5, 6, 9)
_MEANS = ("email", "letter", "email", "phone")
_ADMISSIBLE_KINDS = tuple(Category)[:4]
_NETWORK_CATEGORIES = tuple(NetworkCategory)

_INSERT_COMPLAINANT = (
    "INSERT INTO complainants (id, last_name, first_name, phone, email, street, postal_code, "
    "town, language, niss, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_CASE = (
    "INSERT INTO cases (id, reference, complainant_id, channel, received, logged_at, logged_by, "
    "language, category, subject, description, urgent, contact_incomplete, status, "
    "admissibility, assigned_to, acknowledgement_due, acknowledgement_sent, "
    "acknowledgement_means, reply_due_original, reply_due, reply_sent, outcome, "
    "network_category, closed_at, ombudsman_referred, next_due, updated_at, updated_by) "
    f"VALUES ({', '.join('?' * 29)})"
)
_INSERT_JOURNAL = (
    "INSERT INTO journal (case_id, case_version, at, agent, action, changes, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_FILL_SEARCH = (
    "INSERT INTO cases_search (rowid, reference, name, email, phone, subject, description) "
    "SELECT cases.id, cases.reference, complainants.last_name || ' ' || complainants.first_name, "
    "complainants.email, complainants.phone, cases.subject, cases.description "
    "FROM cases JOIN complainants ON complainants.id = cases.complainant_id WHERE cases.id >= ?"
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
    """Add ``cases`` demo cases (and their complainants) to the store, in one transaction."""
    writer = _DemoWriter(store, seed=seed, today=today, calculator=calculator, agent=agent)
    connection = store.connection
    complainant_count = max(1, cases * 7 // 8)  # one in eight comes back with another complaint
    with store.write(), _indexes_set_aside(connection, "cases"):
        first_complainant = _next_id(connection, "complainants")
        first_case = _next_id(connection, "cases")
        counters = dict(connection.execute("SELECT year, last_number FROM reference_counters"))
        people = writer.complainant_rows(first_complainant, complainant_count)
        while batch := list(islice(people, BATCH)):
            connection.executemany(_INSERT_COMPLAINANT, batch)
        rows = writer.case_rows(first_case, cases, first_complainant, counters)
        while pairs := list(islice(rows, BATCH)):
            connection.executemany(_INSERT_CASE, [case for case, _ in pairs])
            connection.executemany(_INSERT_JOURNAL, [entry for _, entry in pairs])
        connection.executemany(
            "INSERT INTO reference_counters (year, last_number) VALUES (?, ?) "
            "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number",
            sorted(counters.items()),
        )
        connection.execute(_FILL_SEARCH, (first_case,))
    return DemoResult(cases=cases, complainants=complainant_count)


@contextmanager
def _indexes_set_aside(connection: sqlite3.Connection, table: str) -> Iterator[None]:
    """Drop a table's indexes and triggers for a bulk insert and build them again after: one
    sort per index instead of a million scattered updates. Call inside a transaction."""
    saved = connection.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for kind, name, _ in saved:
        connection.execute(f'DROP {kind.upper()} "{name}"')
    yield
    for _, _, sql in saved:
        connection.execute(sql)


def _next_id(connection: sqlite3.Connection, table: str) -> int:
    (last,) = connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return int(last) + 1

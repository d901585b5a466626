"""Realistic demo data, the same for the same seed: complainants, cases at every stage, journal.

Built column by column with bulk inserts, so a million cases take seconds, not minutes.
Receipts fall over the 18 months before ``today``; older cases are mostly closed, recent ones
still running, and some acknowledgements and replies are overdue.
"""

from __future__ import annotations

import json
import random
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
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


def _email(first: str, last: str, number: int) -> str:
    """``Hélène``, ``Van Damme`` → ``helene.vandamme12@example.be``: as people really have them."""
    local = f"{first}.{last}".lower().replace(" ", "")
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_local}{number}@example.be"


def niss_for(birth: date, serial: int) -> str:
    """A national register number that validates: YYMMDD, a serial, two check digits."""
    body = f"{birth:%y%m%d}{serial:03d}"
    base = int(("2" + body) if birth.year >= 2000 else body)
    return f"{body}{97 - base % 97:02d}"


@dataclass(frozen=True)
class DemoResult:
    cases: int
    complainants: int


T = TypeVar("T")


def _pool(weights: Mapping[T, int]) -> tuple[T, ...]:
    """A tuple in which each value stands as often as its weight: one random index picks."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


_CHANNEL_POOL = _pool(_CHANNEL_WEIGHTS)
_ADMISSIBILITY_POOL = _pool(_ADMISSIBILITY_WEIGHTS)
_OUTCOME_POOL = tuple(o.value for o in _pool(_OUTCOME_WEIGHTS))
_LANGUAGE_POOL = _pool({"fr": 11, "nl": 8, "de": 1})
_REPLY_LAGS = tuple(range(6, 46))  # days to a reasoned reply, most around three weeks
_REPLY_LAG_WEIGHTS = _pool({lag: 1 + min(lag - 6, 45 - lag) for lag in _REPLY_LAGS})
_DEMO_NOTE = "données de démonstration"
_BIRTH_FROM = date(1940, 1, 1).toordinal()
_ACK_LAGS = (1, 1, 2, 2, 3, 4, 5, 6, 9)
_MEANS = ("email", "letter", "email", "phone")
_ADMISSIBLE_KINDS = tuple(Category)[:4]
_NETWORK_CATEGORIES = tuple(c.value for c in NetworkCategory)
_SPLIT_NAMES = {
    language: ([n.replace("_", " ") for n in last.split()], first.split())
    for language, (last, first) in _NAMES.items()
}


@dataclass(frozen=True)
class _Plan:
    """Everything a batch needs, decided up front so that batches can be built in any process
    and still give the same store for the same seed."""

    seed: int
    agent: str
    today: str
    days: tuple[date, ...]
    iso: tuple[str, ...]
    clocks: tuple[Clocks, ...]
    first_complainant: int
    first_case: int
    languages: bytes  # index into _LANGUAGES, one per complainant
    no_contact: bytes  # 1 where the complainant gave neither phone nor e-mail
    ages: tuple[int, ...]  # days before today, one per case, oldest first
    numbers: tuple[tuple[tuple[int, int], ...], ...]  # (year, last number) before each batch


_LANGUAGES = ("fr", "nl", "de")
_PLAN: _Plan | None = None


def _set_plan(plan: _Plan) -> None:
    global _PLAN
    _PLAN = plan


def _make_plan(
    seed: int,
    *,
    cases: int,
    complainants: int,
    first_case: int,
    first_complainant: int,
    counters: dict[int, int],
    today: date,
    calculator: DeadlineCalculator,
    agent: str,
) -> _Plan:
    rng = random.Random(seed)
    r = rng.random
    days = tuple(today - timedelta(days=n) for n in range(HISTORY_DAYS))
    languages = bytes(_LANGUAGES.index(_LANGUAGE_POOL[int(r() * 20)]) for _ in range(complainants))
    no_contact = bytes(int(r() >= 0.8 and r() >= 0.7) for _ in range(complainants))
    # Oldest first, so references grow with the date of receipt as in real life; more cases in
    # recent months than long ago.
    ages = sorted((int(HISTORY_DAYS * r() ** 1.2) for _ in range(cases)), reverse=True)
    numbers: list[tuple[tuple[int, int], ...]] = []
    running = dict(counters)
    for start in range(0, cases, BATCH):
        numbers.append(tuple(sorted(running.items())))
        for age in ages[start : start + BATCH]:
            year = days[age].year
            running[year] = running.get(year, 0) + 1
    counters.clear()
    counters.update(running)
    return _Plan(
        seed=seed,
        agent=agent,
        today=today.isoformat(),
        days=days,
        iso=tuple(day.isoformat() for day in days),
        clocks=tuple(calculator.clocks(day) for day in days),
        first_complainant=first_complainant,
        first_case=first_case,
        languages=languages,
        no_contact=no_contact,
        ages=tuple(ages),
        numbers=tuple(numbers),
    )


def _people_batch(index: int) -> list[tuple[object, ...]]:
    """Complainants ``index * BATCH`` onwards."""
    plan = _PLAN
    assert plan is not None
    rng = random.Random(plan.seed * 1_000_003 + index)
    r = rng.random
    rows: list[tuple[object, ...]] = []
    now_text = f"{plan.today}T00:00:00"
    start = index * BATCH
    for person in range(start, min(start + BATCH, len(plan.languages))):
        language = _LANGUAGES[plan.languages[person]]
        last_names, first_names = _SPLIT_NAMES[language]
        last = last_names[int(r() * len(last_names))]
        first = first_names[int(r() * len(first_names))]
        phone = email = None
        if plan.no_contact[person]:
            pass
        elif r() < 0.6:
            prefix, length = _PHONE_PLANS[int(r() * len(_PHONE_PLANS))]
            phone = f"+32{prefix}{int(10 ** (length - 1) * (1 + 9 * r()))}"
            if r() < 0.6:
                email = _email(first, last, int(r() * 100))
        else:
            email = _email(first, last, int(r() * 100))
        postal_code, town = _TOWNS[language][int(r() * len(_TOWNS[language]))]
        niss = None
        if r() < 0.4:
            birth = date.fromordinal(_BIRTH_FROM + int(r() * 365 * 65))
            niss = niss_for(birth, 1 + int(r() * 997))
        streets = _STREETS[language]
        rows.append(
            (
                plan.first_complainant + person,
                last,
                first,
                phone,
                email,
                f"{streets[int(r() * len(streets))]} {1 + int(r() * 199)}",
                postal_code,
                town,
                language,
                niss,
                now_text,
                "demo",
            )
        )
    return rows


def _cases_batch(index: int) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Cases ``index * BATCH`` onwards, with their journal rows."""
    plan = _PLAN
    assert plan is not None
    rng = random.Random(plan.seed * 1_000_003 + 500_000 + index)
    r = rng.random
    counters = dict(plan.numbers[index])
    people = len(plan.languages)
    cases: list[tuple[object, ...]] = []
    journal: list[tuple[object, ...]] = []
    journal_changes = {c: json.dumps({"channel": [None, c.value]}) for c in Channel}
    start = index * BATCH
    for position in range(start, min(start + BATCH, len(plan.ages))):
        age = plan.ages[position]
        received = plan.days[age]
        counters[received.year] = number = counters.get(received.year, 0) + 1
        person = int(r() * people)
        channel = _CHANNEL_POOL[int(r() * len(_CHANNEL_POOL))]
        clocks = plan.clocks[age]
        state = _case_state(r, plan, age, clocks)
        subjects = _SUBJECTS[state.category]
        subject, description = subjects[int(r() * len(subjects))]
        logged_day = plan.iso[max(0, age - 2)] if channel is Channel.LETTER else plan.iso[age]
        logged = f"{logged_day}T{8 + int(r() * 9):02d}:{int(r() * 60):02d}:00"
        case_id = plan.first_case + position
        cases.append(
            (
                case_id,
                f"P-{received.year}-{number:05d}",
                plan.first_complainant + person,
                channel,
                plan.iso[age],
                logged,
                DEMO_AGENTS[int(r() * len(DEMO_AGENTS))],
                _LANGUAGES[plan.languages[person]],
                state.category,
                subject,
                description,
                int(r() < 0.03),
                plan.no_contact[person],
                state.status,
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
                plan.agent,
            )
        )
        journal.append(
            (case_id, 1, logged, plan.agent, "logged", journal_changes[channel], _DEMO_NOTE)
        )
    return cases, journal


def _case_state(r: Callable[[], float], plan: _Plan, age: int, clocks: Clocks) -> _CaseState:
    """Where a case of that age stands today: decided, acknowledged, answered, closed."""
    day = plan.iso
    state = _CaseState(
        category=_ADMISSIBLE_KINDS[int(r() * 4)],
        assigned_to=DEMO_AGENTS[int(r() * len(DEMO_AGENTS))] if r() < 0.85 else None,
        reply_due=clocks.reply_due.isoformat(),
    )
    if age < int(r() * 4):  # too recent: not checked yet
        return state.finish(clocks)
    decision = _ADMISSIBILITY_POOL[int(r() * len(_ADMISSIBILITY_POOL))]
    state.admissibility = decision.value
    ack_lag = _ACK_LAGS[int(r() * len(_ACK_LAGS))]
    forgotten = age < 40 and r() < 0.05  # some recent acknowledgements are late
    if ack_lag <= age and not forgotten:
        state.acknowledgement_sent = day[age - ack_lag]
        state.acknowledgement_means = _MEANS[int(r() * len(_MEANS))]
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
    reply_lag = _REPLY_LAG_WEIGHTS[int(r() * len(_REPLY_LAG_WEIGHTS))]
    stuck = age < 75 and r() < 0.08  # some recent replies run late
    if reply_lag <= age and not stuck:
        state.reply_sent = day[age - reply_lag]
        state.outcome = _OUTCOME_POOL[int(r() * len(_OUTCOME_POOL))]
        state.network_category = _NETWORK_CATEGORIES[int(r() * 4)]
        if age > reply_lag + 7 or r() < 0.5:
            state.status = Status.CLOSED
            state.closed_at = state.reply_sent
            if r() < 0.02 and age > reply_lag + 20:
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
            reply_due=clocks.reply_due if self.reply_due else None,
            reply_sent=date.fromisoformat(self.reply_sent) if self.reply_sent else None,
        ).next_due()
        self.next_due = due.isoformat() if due else None
        return self


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
    """Add ``cases`` demo cases (and their complainants) to the store, in one transaction.

    Each batch draws from its own generator seeded from ``seed`` and the batch number, after a
    plan fixed up front (ages, languages, reference numbers): the result depends on the seed
    alone, and batches could be built in any order or process.
    """
    connection = store.connection
    complainants = max(1, cases * 7 // 8)  # one in eight comes back with another complaint
    with store.write(), _indexes_set_aside(connection, "cases", "complainants"):
        counters = dict(connection.execute("SELECT year, last_number FROM reference_counters"))
        plan = _make_plan(
            seed,
            cases=cases,
            complainants=complainants,
            first_case=_next_id(connection, "cases"),
            first_complainant=_next_id(connection, "complainants"),
            counters=counters,
            today=today,
            calculator=calculator,
            agent=agent,
        )
        _set_plan(plan)
        for index in range(-(-complainants // BATCH)):
            connection.executemany(_INSERT_COMPLAINANT, _people_batch(index))
        for index in range(-(-cases // BATCH)):
            case_rows, journal_rows = _cases_batch(index)
            connection.executemany(_INSERT_CASE, case_rows)
            connection.executemany(_INSERT_JOURNAL, journal_rows)
        connection.executemany(
            "INSERT INTO reference_counters (year, last_number) VALUES (?, ?) "
            "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number",
            sorted(counters.items()),
        )
        connection.execute("INSERT INTO cases_search (cases_search, rank) VALUES ('automerge', 0)")
        connection.execute(_FILL_SEARCH, (plan.first_case,))
        connection.execute("INSERT INTO cases_search (cases_search, rank) VALUES ('automerge', 4)")
    return DemoResult(cases=cases, complainants=complainants)


@contextmanager
def _indexes_set_aside(connection: sqlite3.Connection, *tables: str) -> Iterator[None]:
    """Drop tables' indexes and triggers for a bulk insert and build them again after: one
    sort per index instead of a million scattered updates. Call inside a transaction."""
    marks = ", ".join("?" * len(tables))
    saved = connection.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        tables,
    ).fetchall()
    for kind, name, _ in saved:
        connection.execute(f'DROP {kind.upper()} "{name}"')
    yield
    for _, _, sql in saved:
        connection.execute(sql)


def _next_id(connection: sqlite3.Connection, table: str) -> int:
    (last,) = connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return int(last) + 1

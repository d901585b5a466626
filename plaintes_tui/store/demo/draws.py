"""Drawing the demo data: numbers, not text, for a plan fixed up front.

Each batch draws from its own generator, seeded from the demo's seed and the batch number, after
a plan decided once (ages, languages, reference numbers): the store depends on the seed and the
batch size alone, and any process can draw any batch. Rows hold
numbers and the few short words of the enums; SQLite turns them into the stored text
(``expand.py``): binding an integer costs a fifth of binding a string from Python.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from plaintes_tui.domain.cases import Admissibility, Category, Channel, ClockState, Status
from plaintes_tui.domain.deadlines import Clocks, DeadlineCalculator
from plaintes_tui.store.demo.vocabulary import (
    ACK_LAGS,
    ADMISSIBILITY_POOL,
    ADMISSIBLE_KINDS,
    CHANNEL_POOL,
    DEMO_AGENTS,
    HISTORY_DAYS,
    LANGUAGE_POOL,
    LANGUAGES,
    MEANS,
    NAME_IDS,
    NETWORK_CATEGORIES,
    OUTCOME_POOL,
    PHONE_PLANS,
    REPLY_LAG_POOL,
    STREET_IDS,
    TEXT_IDS,
    TOWN_IDS,
)

BATCH = 20_000
_BIRTH_FROM = date(1940, 1, 1).toordinal()


@dataclass(frozen=True)
class Plan:
    """Everything a batch needs, decided up front."""

    seed: int
    batch: int  # rows drawn at a time, each batch from its own generator
    days: tuple[date, ...]  # days[age]: the day ``age`` days before today
    clocks: tuple[Clocks, ...]  # clocks[age]: the clocks of a case received that day
    first_complainant: int
    first_case: int
    languages: bytes  # index into LANGUAGES, one per complainant
    no_contact: bytes  # 1 where the complainant gave neither phone nor e-mail
    ages: tuple[int, ...]  # days before today, one per case, oldest first
    numbers: tuple[tuple[tuple[int, int], ...], ...]  # (year, last number) before each batch

    @property
    def people_batches(self) -> int:
        return -(-len(self.languages) // self.batch)

    @property
    def case_batches(self) -> int:
        return -(-len(self.ages) // self.batch)

    def case_ids(self, first_batch: int, end_batch: int) -> tuple[int, int]:
        """The first and last case id of batches ``first_batch`` to ``end_batch`` (excluded)."""
        end = min(end_batch * self.batch, len(self.ages))
        return self.first_case + first_batch * self.batch, self.first_case + end - 1


def make_plan(
    seed: int,
    *,
    cases: int,
    complainants: int,
    first_case: int,
    first_complainant: int,
    counters: dict[int, int],
    today: date,
    calculator: DeadlineCalculator,
    batch: int = BATCH,
) -> Plan:
    """The plan for ``cases`` cases; ``counters`` (year → last reference number) moves on."""
    rng = random.Random(seed)
    r = rng.random
    days = tuple(today - timedelta(days=n) for n in range(HISTORY_DAYS))
    languages = bytes(LANGUAGE_POOL[int(r() * len(LANGUAGE_POOL))] for _ in range(complainants))
    no_contact = bytes(int(r() >= 0.8 and r() >= 0.7) for _ in range(complainants))
    # Oldest first, so references grow with the date of receipt as in real life; more cases in
    # recent months than long ago.
    ages = sorted((int(HISTORY_DAYS * r() ** 1.2) for _ in range(cases)), reverse=True)
    numbers: list[tuple[tuple[int, int], ...]] = []
    running = dict(counters)
    for start in range(0, cases, batch):
        numbers.append(tuple(sorted(running.items())))
        for age in ages[start : start + batch]:
            year = days[age].year
            running[year] = running.get(year, 0) + 1
    counters.clear()
    counters.update(running)
    return Plan(
        seed=seed,
        batch=batch,
        days=days,
        clocks=tuple(calculator.clocks(day) for day in days),
        first_complainant=first_complainant,
        first_case=first_case,
        languages=languages,
        no_contact=no_contact,
        ages=tuple(ages),
        numbers=tuple(numbers),
    )


_PLAN: Plan | None = None


def set_plan(plan: Plan) -> None:
    """Give this process the plan (the initializer of a worker process)."""
    global _PLAN
    _PLAN = plan


def _plan() -> Plan:
    assert _PLAN is not None, "set_plan() first"
    return _PLAN


def niss_for(birth: date, serial: int) -> str:
    """A national register number that validates: YYMMDD, a serial, two check digits."""
    body = f"{birth:%y%m%d}{serial:03d}"
    base = int(("2" + body) if birth.year >= 2000 else body)
    return f"{body}{97 - base % 97:02d}"


PersonRow = tuple[object, ...]
"""id, last name, first name (name ids), phone (digits), e-mail number, street id, house number,
town id, language, NISS."""


def people_batch(index: int) -> list[PersonRow]:
    """Complainants ``index * plan.batch`` onwards."""
    plan = _plan()
    rng = random.Random(plan.seed * 1_000_003 + index)
    r = rng.random
    rows: list[PersonRow] = []
    start = index * plan.batch
    for person in range(start, min(start + plan.batch, len(plan.languages))):
        language = plan.languages[person]
        last_names, first_names = NAME_IDS[language]
        last = last_names[int(r() * len(last_names))]
        first = first_names[int(r() * len(first_names))]
        phone = email = None
        if plan.no_contact[person]:
            pass
        elif r() < 0.6:
            base, span = PHONE_PLANS[int(r() * len(PHONE_PLANS))]
            phone = base + int(span * r())
            if r() < 0.6:
                email = int(r() * 100)
        else:
            email = int(r() * 100)
        towns, streets = TOWN_IDS[language], STREET_IDS[language]
        town = towns[int(r() * len(towns))]
        niss = None
        if r() < 0.4:
            birth = date.fromordinal(_BIRTH_FROM + int(r() * 365 * 65))
            niss = niss_for(birth, 1 + int(r() * 997))
        street = streets[int(r() * len(streets))]
        rows.append(
            (
                plan.first_complainant + person,
                last,
                first,
                phone,
                email,
                street,
                1 + int(r() * 199),
                town,
                LANGUAGES[language],
                niss,
            )
        )
    return rows


CaseRow = tuple[object, ...]
"""The columns of the ``demo_case`` staging table in ``expand.py``, in order."""


def cases_batch(index: int) -> list[CaseRow]:
    """Cases ``index * plan.batch`` onwards."""
    plan = _plan()
    rng = random.Random(plan.seed * 1_000_003 + 500_000 + index)
    r = rng.random
    counters = dict(plan.numbers[index])
    people = len(plan.languages)
    rows: list[CaseRow] = []
    start = index * plan.batch
    for position in range(start, min(start + plan.batch, len(plan.ages))):
        age = plan.ages[position]
        year = plan.days[age].year
        counters[year] = number = counters.get(year, 0) + 1
        person = int(r() * people)
        channel = CHANNEL_POOL[int(r() * len(CHANNEL_POOL))]
        logged = max(0, age - 2) if channel == Channel.LETTER else age  # the mailroom logs later
        state = _case_state(r, plan, age, logged)
        texts = TEXT_IDS[state.category]
        rows.append(
            (
                plan.first_case + position,
                number,
                plan.first_complainant + person,
                channel,
                age,
                logged,
                8 * 60 + int(r() * 9 * 60),  # logged at, minutes into the day
                DEMO_AGENTS[int(r() * len(DEMO_AGENTS))],
                LANGUAGES[plan.languages[person]],
                texts[int(r() * len(texts))],
                int(r() < 0.03),
                plan.no_contact[person],
                state.status.value,
                state.admissibility,
                state.assigned_to,
                state.acknowledged,
                state.means,
                int(state.reply_clock),
                state.replied,
                state.outcome,
                state.network_category,
                state.closed,
                state.ombudsman,
                state.next_due,
            )
        )
    return rows


@dataclass(slots=True)
class _CaseState:
    """Where a case stands today; every date is an age, days before today."""

    category: Category
    assigned_to: str | None
    reply_clock: bool = True
    status: Status = Status.RECEIVED
    admissibility: str | None = None
    acknowledged: int | None = None
    means: str | None = None
    replied: int | None = None
    outcome: str | None = None
    network_category: str | None = None
    closed: int | None = None
    ombudsman: int | None = None
    next_due: int = 0  # NEXT_DUE_NONE and the other kinds below

    def finish(self, plan: Plan, clocks: Clocks) -> _CaseState:
        days = plan.days
        due = ClockState(
            status=self.status,
            acknowledgement_due=clocks.acknowledgement_due,
            acknowledgement_sent=None if self.acknowledged is None else days[self.acknowledged],
            reply_due=clocks.reply_due if self.reply_clock else None,
            reply_sent=None if self.replied is None else days[self.replied],
        ).next_due()
        if due is None:
            self.next_due = NEXT_DUE_NONE
        elif due == clocks.acknowledgement_due:
            self.next_due = NEXT_DUE_ACKNOWLEDGEMENT
        elif due == clocks.reply_due:
            self.next_due = NEXT_DUE_REPLY
        else:
            self.next_due = NEXT_DUE_NO_CLOCK
        return self


NEXT_DUE_NONE, NEXT_DUE_ACKNOWLEDGEMENT, NEXT_DUE_REPLY, NEXT_DUE_NO_CLOCK = range(4)


def _case_state(r: Callable[[], float], plan: Plan, age: int, logged: int) -> _CaseState:
    """Where a case of that age stands today: decided, acknowledged, answered, closed; nothing
    sent before the case was logged (``logged``, its age then)."""
    clocks = plan.clocks[age]
    state = _CaseState(
        category=ADMISSIBLE_KINDS[int(r() * 4)],
        assigned_to=DEMO_AGENTS[int(r() * len(DEMO_AGENTS))] if r() < 0.85 else None,
    )
    if age < int(r() * 4):  # too recent: not checked yet
        return state.finish(plan, clocks)
    decision = ADMISSIBILITY_POOL[int(r() * len(ADMISSIBILITY_POOL))]
    state.admissibility = decision.value
    ack_lag = ACK_LAGS[int(r() * len(ACK_LAGS))]
    forgotten = age < 40 and r() < 0.05  # some recent acknowledgements are late
    if ack_lag <= age and not forgotten:
        state.acknowledged = min(age - ack_lag, logged)
        state.means = MEANS[int(r() * len(MEANS))]
    if not decision.has_reply_clock:
        state.category = Category.OTHER
        state.reply_clock = False
        if state.acknowledged is not None:  # the answer saying where to go closes it
            state.status = Status.CLOSED
            state.closed = state.acknowledged
        else:
            state.status = Status.OUT_OF_SCOPE
        return state.finish(plan, clocks)
    if decision is Admissibility.INCOMPLETE:
        state.status = Status.INCOMPLETE
        if age > 90:  # old ones were closed without news from the complainant
            state.status = Status.CLOSED
            state.closed = age - 60
        return state.finish(plan, clocks)
    reply_lag = REPLY_LAG_POOL[int(r() * len(REPLY_LAG_POOL))]
    stuck = age < 75 and r() < 0.08  # some recent replies run late
    if reply_lag <= age and not stuck:
        state.replied = min(age - reply_lag, logged)
        if state.acknowledged is None or state.acknowledged < state.replied:
            state.acknowledged, state.means = state.replied, "reply"  # it confirmed receipt
        state.outcome = OUTCOME_POOL[int(r() * len(OUTCOME_POOL))]
        state.network_category = NETWORK_CATEGORIES[int(r() * 4)]
        if age > reply_lag + 7 or r() < 0.5:
            state.status = Status.CLOSED
            state.closed = state.replied
            if r() < 0.02 and age > reply_lag + 20:
                state.ombudsman = max(0, state.replied - 20)
        else:
            state.status = Status.REPLIED
    else:
        state.status = Status.IN_PROGRESS
    return state.finish(plan, clocks)

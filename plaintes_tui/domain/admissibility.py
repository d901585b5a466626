"""The admissibility checklist, written as data, and a walk through it.

A checklist is a graph of questions; each answer leads to another question or to an outcome.
It is checked as a whole when loaded: no loop, no step that leads nowhere, no unknown outcome,
no question without French wording. Reference data (appeal procedures, services to forward
to, the DG Persons with disabilities) lives beside it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plaintes_tui.domain.cases import Admissibility, Category
from plaintes_tui.domain.validation import InvalidValue, address_of_a_service
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import interface_language, tr
from plaintes_tui.packaged import RESOURCES, read_toml

PACKAGED = RESOURCES / "admissibility"  # the checklist, reference lists and answers shipped
OUTCOME_PREFIX = "outcome:"
ADMISSIBLE_KINDS = (
    Category.SLOW_REACTION,
    Category.STAFF_CONDUCT,
    Category.IMPRECISE_INFORMATION,
    Category.UNCLEAR_PUBLICATION,
)
YES_NO = ("yes", "no")


# A checklist an agent can walk in a call has a few dozen steps at most.
MAX_STEPS = 200


class ChecklistError(UserError):
    """A checklist or reference file that cannot be used; the message names file and step."""


@dataclass(frozen=True)
class Outcome:
    """Where the checklist ends: admissible (with its kind) or why not."""

    admissibility: Admissibility
    category: Category | None = None  # the kind of an admissible complaint

    @classmethod
    def parse(cls, text: str) -> Outcome:
        parts = text.removeprefix(OUTCOME_PREFIX).split(":")
        admissibility = Admissibility(parts[0])
        if admissibility is Admissibility.ADMISSIBLE:
            if len(parts) != 2 or parts[1] not in ADMISSIBLE_KINDS:
                raise ValueError(text)
            return cls(admissibility, Category(parts[1]))
        if len(parts) != 1:
            raise ValueError(text)
        return cls(admissibility)

    @property
    def needs_pick(self) -> str | None:
        """Which reference list the agent picks from for this outcome, if any."""
        return {
            Admissibility.CONTESTED_DECISION: "appeal_procedures",
            Admissibility.NOT_A_COMPLAINT: "forward_services",
            Admissibility.OTHER_INSTITUTION: "other_institutions",
        }.get(self.admissibility)


@dataclass(frozen=True)
class Choice:
    """An answer to a step, and where it leads."""

    label: dict[str, str]  # by language; a yes/no question's choices have no label
    next: str  # a step id, or "outcome:…"
    key: str  # "yes", "no", or what the agent presses: "1", "2", …


@dataclass(frozen=True)
class Step:
    """One question of the checklist, in each language, with its answers."""

    id: str
    question: dict[str, str]
    help: dict[str, str]
    choices: tuple[Choice, ...]

    @property
    def is_yes_no(self) -> bool:
        return [c.key for c in self.choices] == ["yes", "no"]

    def text(self, language: str) -> str:
        return self.question.get(language) or self.question["fr"]

    def help_text(self, language: str) -> str:
        return self.help.get(language) or self.help.get("fr", "")


@dataclass(frozen=True)
class Checklist:
    """The admissibility questions, from the first, and the file they come from."""

    start: str
    steps: dict[str, Step]
    source: str

    def target(self, reference: str) -> Step | Outcome:
        if reference.startswith(OUTCOME_PREFIX):
            return Outcome.parse(reference)
        return self.steps[reference]


def _fail(source: str, step: str, problem: str, **values: Any) -> ChecklistError:
    """The checklist or reference file ``source`` is refused at ``step``: ``problem`` is a
    catalogue key of [checklist]."""
    return ChecklistError(
        tr(
            "checklist.error",
            source=source,
            step=step,
            problem=tr(f"checklist.{problem}", **values),
        )
    )


def _texts(table: dict[str, Any], prefix: str) -> dict[str, str]:
    return {
        key.removeprefix(prefix): str(value)
        for key, value in table.items()
        if key.startswith(prefix) and len(key.removeprefix(prefix)) == 2
    }


def parse_checklist(data: dict[str, Any], source: str) -> Checklist:
    """Build a checklist from a parsed TOML document, refusing anything that cannot work."""
    start = data.get("start")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, dict) or not raw_steps:
        raise _fail(source, "steps", "no_steps")
    if len(raw_steps) > MAX_STEPS:
        raise _fail(source, "steps", "too_many_steps", count=MAX_STEPS)
    if not isinstance(start, str) or start not in raw_steps:
        raise _fail(source, str(start), "no_start")
    steps = {step_id: _step(step_id, raw, source) for step_id, raw in raw_steps.items()}
    checklist = Checklist(start, steps, source)
    for step in steps.values():
        for choice in step.choices:
            _refuse_target(choice.next, steps, source, step.id)
    _refuse_loops(checklist)
    return checklist


_LANGUAGES = ("fr", "nl", "de", "en")


def _step(step_id: str, raw: object, source: str) -> Step:
    """One step: its question in each language, its help, and where each answer leads."""
    if not isinstance(raw, dict):
        raise _fail(source, step_id, "not_a_section")
    question = {k: v for k, v in raw.items() if k in _LANGUAGES}
    if not str(question.get("fr", "")).strip():
        raise _fail(source, step_id, "no_french_question")
    if "choices" in raw:
        choices = _choices(raw["choices"], source, step_id)
    elif all(isinstance(raw.get(answer), str) for answer in YES_NO):
        choices = [Choice({}, raw["yes"], "yes"), Choice({}, raw["no"], "no")]
    else:
        raise _fail(source, step_id, "question_leads_nowhere")
    return Step(
        step_id, {k: str(v) for k, v in question.items()}, _texts(raw, "help_"), tuple(choices)
    )


def _choices(items: object, source: str, step_id: str) -> list[Choice]:
    if not isinstance(items, list) or not items:
        raise _fail(source, step_id, "no_choices")
    choices = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not str(item.get("fr", "")).strip():
            raise _fail(source, step_id, "no_french_choice", number=number)
        if not isinstance(item.get("next"), str):
            raise _fail(source, step_id, "choice_leads_nowhere", number=number)
        label = {k: str(v) for k, v in item.items() if k in _LANGUAGES}
        choices.append(Choice(label, item["next"], str(number)))
    return choices


def _refuse_target(target: str, steps: dict[str, Step], source: str, step_id: str) -> None:
    """An answer leads to an outcome that exists, or to a step of the checklist."""
    if target.startswith(OUTCOME_PREFIX):
        try:
            Outcome.parse(target)
        except ValueError:
            raise _fail(source, step_id, "unknown_outcome", target=target) from None
    elif target not in steps:
        raise _fail(source, step_id, "unknown_step", target=target)


def _refuse_loops(checklist: Checklist) -> None:
    done: set[str] = set()

    def visit(step_id: str, path: tuple[str, ...]) -> None:
        if step_id in path:
            loop = " → ".join((*path[path.index(step_id) :], step_id))
            raise _fail(checklist.source, step_id, "loop", loop=loop)
        if step_id in done:
            return
        for choice in checklist.steps[step_id].choices:
            if not choice.next.startswith(OUTCOME_PREFIX):
                visit(choice.next, (*path, step_id))
        done.add(step_id)

    for step_id in checklist.steps:
        visit(step_id, ())


@dataclass(frozen=True)
class ReferenceEntry:
    """A procedure, service or institution a complainant may be sent to."""

    id: str
    text: dict[str, str]
    # The service's or institution's address for files sent on by e-mail (see forwarding).
    email: str | None = None

    def in_language(self, language: str) -> str:
        return self.text.get(language) or self.text["fr"]


@dataclass(frozen=True)
class ReferenceData:
    """Where out-of-scope cases are sent: the reference lists of the checklist's answers."""

    appeal_procedures: tuple[ReferenceEntry, ...]
    forward_services: tuple[ReferenceEntry, ...]
    dg_handicap: ReferenceEntry
    source: str = ""
    # Other institutions' complaints services (pensions, unemployment, health insurers…).
    other_institutions: tuple[ReferenceEntry, ...] = ()

    def entry_for(self, text: str) -> ReferenceEntry | None:
        """The entry a decision's stored reason (its French text) was picked from."""
        every = (
            *self.appeal_procedures,
            *self.forward_services,
            *self.other_institutions,
            self.dg_handicap,
        )
        return next((entry for entry in every if entry.in_language("fr") == text), None)

    def entries(self, kind: str) -> tuple[ReferenceEntry, ...]:
        return {
            "appeal_procedures": self.appeal_procedures,
            "forward_services": self.forward_services,
            "other_institutions": self.other_institutions,
        }[kind]


def parse_reference(data: dict[str, Any], source: str) -> ReferenceData:
    def entry(raw: Any, where: str) -> ReferenceEntry:
        if not isinstance(raw, dict) or not str(raw.get("fr", "")).strip():
            raise _fail(source, where, "no_french_entry")
        texts = {k: str(v) for k, v in raw.items() if k in ("fr", "nl", "de", "en")}
        email = raw.get("email")
        if email is not None:
            try:
                email = address_of_a_service(str(email))
            except InvalidValue:
                raise _fail(source, where, "bad_email", email=email) from None
        return ReferenceEntry(str(raw.get("id", where)), texts, email)

    lists = {}
    for kind in ("appeal_procedures", "forward_services"):
        raw_list = data.get(kind)
        if not isinstance(raw_list, list) or not raw_list:
            raise _fail(source, kind, "empty_list")
        lists[kind] = tuple(entry(item, f"{kind} {n}") for n, item in enumerate(raw_list, 1))
    # Optional, so that a service's own file written before it still loads.
    raw_others = data.get("other_institutions", [])
    if not isinstance(raw_others, list):
        raise _fail(source, "other_institutions", "expect_institutions")
    others = tuple(entry(item, f"other_institutions {n}") for n, item in enumerate(raw_others, 1))
    return ReferenceData(
        lists["appeal_procedures"],
        lists["forward_services"],
        entry(data.get("dg_handicap"), "dg_handicap"),
        source,
        others,
    )


def _read(override: Path | None, packaged: str) -> tuple[dict[str, Any], str]:
    try:
        present = override is not None and override.exists()
    except OSError as error:  # a folder this account may not enter
        raise ChecklistError(
            tr("checklist.unreadable", source=override, error=error.strerror)
        ) from None
    if override is None or not present:
        source = tr("checklist.packaged", name=packaged)
        return _parsed(lambda: read_toml(PACKAGED / packaged), source), source
    source = str(override)
    if not override.is_file():  # a pipe would wait for ever, a folder cannot be read
        raise ChecklistError(tr("checklist.not_a_file", source=source))
    try:
        text = override.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ChecklistError(tr("checklist.not_utf8", source=source)) from None
    except OSError as error:
        raise ChecklistError(
            tr("checklist.unreadable", source=source, error=error.strerror)
        ) from None
    return _parsed(lambda: tomllib.loads(text), source), source


def _parsed(parse: Callable[[], dict[str, Any]], source: str) -> dict[str, Any]:
    try:
        return parse()
    except tomllib.TOMLDecodeError as error:
        raise ChecklistError(tr("checklist.bad_toml", source=source, error=error)) from None
    except RecursionError:
        raise ChecklistError(tr("checklist.too_deep", source=source)) from None


def load_checklist(data_folder: Path | None = None) -> Checklist:
    """``checklist.toml`` of the overrides folder when the service has one, else the packaged
    checklist (always the packaged one without a folder)."""
    override = data_folder / "checklist.toml" if data_folder else None
    data, source = _read(override, "checklist.toml")
    return parse_checklist(data, source)


def load_reference(data_folder: Path | None = None) -> ReferenceData:
    override = data_folder / "reference.toml" if data_folder else None
    data, source = _read(override, "reference.toml")
    return parse_reference(data, source)


@dataclass
class Walk:
    """An agent's way through the checklist: answers so far, and where they lead."""

    checklist: Checklist
    answers: list[tuple[str, int]] = field(default_factory=list)  # (step id, choice index)

    @property
    def position(self) -> Step | Outcome:
        reference = self.checklist.start
        for step_id, index in self.answers:
            reference = self.checklist.steps[step_id].choices[index].next
        return self.checklist.target(reference)

    def answer(self, key: str) -> bool:
        """Answer the current question (``yes``, ``no``, ``1``…); False if that is no answer."""
        step = self.position
        if not isinstance(step, Step):
            return False
        for index, choice in enumerate(step.choices):
            if choice.key == key:
                self.answers.append((step.id, index))
                return True
        return False

    def back(self) -> None:
        if self.answers:
            self.answers.pop()

    def summary(self, language: str, yes: str, no: str) -> list[tuple[str, str]]:
        """(question, answer) pairs, as they were answered."""
        return answered(self.checklist, self.codes(), language, yes, no)

    def codes(self) -> list[tuple[str, str]]:
        """(step, answer) as codes, as the journal keeps them: ``("dispute", "no")``."""
        return [
            (step_id, self.checklist.steps[step_id].choices[index].key)
            for step_id, index in self.answers
        ]


def answers_in_language(
    checklist: Checklist, codes: Sequence[Sequence[str]]
) -> list[tuple[str, str]]:
    """The journal's answers (codes) as (question, answer) in the reader's language."""
    yes, no = tr("admissibility_screen.yes"), tr("admissibility_screen.no")
    return answered(checklist, codes, interface_language(), yes, no)


def answered(
    checklist: Checklist, codes: Sequence[Sequence[str]], language: str, yes: str, no: str
) -> list[tuple[str, str]]:
    """(question, answer) in ``language`` for answers kept as codes; a step the checklist no
    longer has is named by its id."""
    lines = []
    for step_id, key in codes:
        step = checklist.steps.get(step_id)
        if step is None:
            lines.append((step_id, key))
            continue
        if step.is_yes_no:
            answer = yes if key == "yes" else no
        else:
            choice = next((c for c in step.choices if c.key == key), None)
            answer = (choice.label.get(language) or choice.label["fr"]) if choice else key
        lines.append((step.text(language), answer))
    return lines


def answer_text(
    outcome: Outcome,
    *,
    language: str,
    reference: str,
    received: str,
    where: str,
    forwarded_on: str | None = None,
) -> str:
    """The plain-text answer telling the complainant what happens and where to go: greeting,
    receipt and routing (the out-of-scope letter adds the contact and the signature). It says
    the file was sent on only when it was (``forwarded_on``, the day, written out)."""
    texts = read_toml(PACKAGED / "answers.toml")
    table = texts.get(language) or texts["fr"]
    values = {"reference": reference, "received": received, "where": where}
    routing = outcome.admissibility.value
    if forwarded_on is not None and f"{routing}_forwarded" in table:
        routing = f"{routing}_forwarded"
        values["forwarded_on"] = forwarded_on
    parts = ("greeting", "intro", routing)
    return "\n\n".join(table[part].format(**values) for part in parts)

"""Which agent gets the case(s): picked from a list — the directory's active agents with their
workload — never typed, so that no case goes to a misspelt login. Typing filters the list."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from plaintes_tui.domain.access import Actor
from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line
from plaintes_tui.settings import AgentSettings
from plaintes_tui.tui.keys import ModalScreen
from plaintes_tui.tui.widgets.line_input import LineInput


@dataclass(frozen=True)
class Assignable:
    login: str
    name: str  # the full name, or the login when the directory has none
    open: int = 0
    overdue: int = 0

    def label(self) -> Text:
        text = Text()
        text.append(one_line(self.name), style="bold")
        if self.name != self.login:
            text.append(f" ({one_line(self.login)})")
        text.append(f" — {tr('assign.workload', open=self.open, overdue=self.overdue)}")
        return text


def assignable_agents(
    agents: AgentSettings, actor: Actor, load: Mapping[str | None, tuple[int, int]]
) -> tuple[list[Assignable], str]:
    """Whom ``actor`` may give cases to (the domain decides: the directory's active agents), with
    their workload, and a hint for the dialog; without a directory, the logins already seen."""
    if actor.assignable is not None:
        people = [(login, agents.directory[login].name) for login in actor.assignable]
        hint = ""
    else:
        seen = {login for login in load if login} | set(agents.supervisors)
        people = [(login, login) for login in seen]
        hint = tr("assign.no_directory")
    listed = [Assignable(login, name, *load.get(login, (0, 0))) for login, name in people]
    return sorted(listed, key=lambda a: _folded(a.name)), hint


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def spread(cases: Sequence[int], agents: Sequence[Assignable]) -> dict[int, str]:
    """Each case to one of ``agents``, evenly: the next case (most urgent first) goes to the
    agent who would then have the fewest open cases (their workload counted)."""
    load = {agent.login: agent.open for agent in agents}
    order = {agent.login: number for number, agent in enumerate(agents)}
    given: dict[int, str] = {}
    for case in cases:
        login = min(load, key=lambda name: (load[name], order[name]))
        given[case] = login
        load[login] += 1
    return given


class AssignDialog(ModalScreen[list[str] | None]):
    """Pick an agent (enter); for several cases, ``several`` lets space pick more than one,
    and the cases are then spread among them. Answers the logins chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("space", "pick", show=False),  # on the list (the filter would take it)
    ]
    DEFAULT_CSS = """
    AssignDialog { align: center middle; }
    AssignDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    AssignDialog Label { width: 100%; }
    AssignDialog OptionList { height: auto; max-height: 12; }
    AssignDialog .hint { color: $text-muted; }
    """

    def __init__(
        self, title: str, agents: Sequence[Assignable], hint: str = "", *, several: bool = False
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.agents = list(agents)
        self.hint = hint
        self.several = several
        self.picked: list[str] = []  # in the order picked
        self.shown: list[Assignable] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, markup=False)
            yield LineInput(placeholder=tr("assign.filter"), id="assign-filter")
            yield OptionList(id="assign-agents")
            yield Label("", id="assign-none", classes="hint", markup=False)
            if self.hint:
                yield Label(self.hint, classes="hint", markup=False)
            yield Label(
                tr("assign.confirm_several" if self.several else "assign.confirm"),
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self._filter("")

    def on_key(self, event: events.Key) -> None:
        if (
            self.several
            and isinstance(self.focused, OptionList)
            and event.is_printable
            and event.character not in (None, " ")
        ):
            field = self.query_one(Input)
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()

    @on(Input.Changed, "#assign-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, typed: str) -> None:
        wanted = _folded(typed.strip())
        self.shown = [
            agent
            for agent in self.agents
            if wanted in _folded(agent.login) or wanted in _folded(agent.name)
        ]
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(self._label(agent)) for agent in self.shown])
        if self.shown:
            options.highlighted = min(highlighted or 0, len(self.shown) - 1)
        none = self.query_one("#assign-none", Label)
        none.update(tr("assign.none_matches") if not self.shown else "")
        none.display = not self.shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """↑↓ are taken before the filter when it has the focus; on the list, the list moves
        itself, in the order the keys came (a space typed right after ↓ picks the agent the
        ↓ reached, not the one before)."""
        return not (action == "move" and isinstance(self.focused, OptionList))

    def _label(self, agent: Assignable) -> Text:
        if not self.several:
            return agent.label()
        mark = Text("● " if agent.login in self.picked else "○ ", style="bold")
        return mark + agent.label()

    def action_pick(self) -> None:
        """Space on the list: add the agent under the cursor to those the cases are spread
        among (or take them out)."""
        options = self.query_one(OptionList)
        if not self.several or options.highlighted is None or not self.shown:
            return
        login = self.shown[options.highlighted].login
        if login in self.picked:
            self.picked.remove(login)
        else:
            self.picked.append(login)
        self._filter(self.query_one(Input).value)

    def _answer(self, login: str) -> None:
        self.dismiss(list(self.picked) if self.picked else [login])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    @on(Input.Submitted, "#assign-filter")
    def _submitted(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and highlighted < len(self.shown):
            self._answer(self.shown[highlighted].login)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._answer(self.shown[event.option_index].login)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SpreadDialog(AssignDialog):
    """For several cases: the list has the focus from the start, so that space picks the
    agents to spread them among (a letter typed still goes to the filter)."""

    AUTO_FOCUS = "#assign-agents"

    def __init__(self, title: str, agents: Sequence[Assignable], hint: str = "") -> None:
        super().__init__(title, agents, hint, several=True)

"""The queue's marked cases given to agents at once (a supervisor's ``A``), marked one by one
(space) or all those the queue shows (``g``); each assignment journaled, a case changed
meanwhile left alone and named.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.database import StoreError
from plaintes_tui.store.queue import QueueRow
from plaintes_tui.store.queue_source import QueueSource, QueueView
from plaintes_tui.store.workload import workload
from plaintes_tui.tui.keys import Screen
from plaintes_tui.tui.widgets.queue_table import QueueTable
from plaintes_tui.tui.workers import at_once, background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk
    from plaintes_tui.tui.dialogs.assign import Assignable


def _of(agents: list[Assignable], logins: list[str]) -> list[Assignable]:
    """The agents picked, in the dialog's order (their workload with them)."""
    return [agent for agent in agents if agent.login in logins]


class MarkedCases(Screen[None]):
    """Marking and assigning the queue's cases (the queue screen extends it)."""

    app: Desk
    view: QueueView

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    def reload(
        self, keep: QueueRow | None = None, cursor: int = 0, *, store_changed: bool = True
    ) -> None:
        raise NotImplementedError

    def action_mark_all(self) -> None:
        """Mark every case the queue shows (all pages, the filter as set), or, when they are
        all marked already, none: with g on an agent, all their cases at once."""
        self._mark_all(self.view)

    @background(group="queue-mark")
    def _mark_all(self, view: QueueView) -> None:
        source = QueueSource(self.app.store, view)
        rows = source.rows(0, source.count())
        self.app.call_from_thread(self.table.mark_all, rows)

    def action_assign(self) -> None:
        if not self.app.actor.supervising:
            self.notify(tr("queue_screen.not_supervisor"), severity="warning")
            return
        rows = list(self.table.marked.values())
        if not rows and self.table.current is not None:
            rows = [self.table.current]
        if not rows:
            self.notify(tr("queue_screen.nothing_marked"), severity="warning")
            return
        self._offer_agents(rows)

    def _offer_agents(self, rows: list[QueueRow]) -> None:
        """The agents' dialog, at once: the workload is one indexed read (20 ms at a million
        cases), done here so that the keys typed right after ``A`` reach the dialog, not the
        queue under it (a space there would mark a case)."""
        from plaintes_tui.tui.dialogs.assign import AssignDialog, SpreadDialog, assignable_agents

        load = at_once(self, lambda: workload(self.app.store, self.app.today()))
        if load is None:
            return
        agents, hint = assignable_agents(self.app.settings.agents, self.app.actor, load)
        owners = {row.assigned_to for row in rows}
        if len(rows) > 1 and len(owners) == 1:  # one agent's cases: to the others
            agents = [agent for agent in agents if agent.login not in owners]
        self.app.push_screen(
            (SpreadDialog if len(rows) > 1 else AssignDialog)(
                tr("assign.title", count=len(rows)), agents, hint
            ),
            lambda chosen: self._preview(rows, _of(agents, chosen)) if chosen else None,
        )

    def _preview(self, rows: list[QueueRow], agents: list[Assignable]) -> None:
        """Cases spread among several agents: who gets how many, and their load after, shown
        before anything is written (the least loaded get them first, so a share can be 0)."""
        from plaintes_tui.tui.dialogs.assign import spread
        from plaintes_tui.tui.dialogs.confirm import ConfirmDialog  # a supervisor's, seldom

        given = spread([r.id for r in rows], agents)
        if len(agents) < 2:
            self._assign(rows, given)
            return
        shares = Counter(given.values())
        lines = "\n".join(
            tr(
                "queue_screen.spread_share",
                agent=one_line(agent.name),
                count=shares[agent.login],
                before=agent.open,
                after=agent.open + shares[agent.login],
            )
            for agent in agents
        )
        question = tr("queue_screen.spread_preview", count=len(rows), shares=lines)
        self.app.push_screen(
            ConfirmDialog(question), lambda yes: self._assign(rows, given) if yes else None
        )

    @background(group="queue-assign")
    def _assign(self, rows: list[QueueRow], given: dict[int, str]) -> None:
        """Assign each case, journaled one by one; a case changed meanwhile is left alone."""
        from plaintes_tui.store.workflow import perform  # the one door, loaded with the first

        app = self.app
        conflicts: list[str] = []
        left: set[int] = set()
        for row in rows:
            try:
                perform(
                    app.store,
                    row.id,
                    row.version,
                    Move.ASSIGN,
                    {"agent": given[row.id]},
                    actor=app.actor,
                    now=app.now(),
                    calculator=app.calculator,
                )
            except StoreError:
                conflicts.append(row.reference)
                left.add(row.id)
        done = Counter(login for case, login in given.items() if case not in left)
        app.call_from_thread(self._assigned, done, conflicts)

    def _assigned(self, done: Counter[str], conflicts: list[str]) -> None:
        self.table.clear_marks()
        shares = ", ".join(
            tr("queue_screen.assigned_to", count=count, agent=self.app.person_name(login))
            for login, count in done.items()
        )
        self.notify(tr("queue_screen.assigned", count=sum(done.values()), shares=shares))
        if conflicts:
            self.notify(
                tr(
                    "queue_screen.assign_conflicts",
                    count=len(conflicts),
                    references=", ".join(conflicts),
                ),
                severity="warning",
                timeout=10,
            )
        self.reload(keep=self.table.current, cursor=self.table.cursor)

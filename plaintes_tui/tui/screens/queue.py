"""The deadline queue: the home screen, most urgent case first, filters a key away, live."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from plaintes_tui.domain.cases import Channel, Status
from plaintes_tui.domain.services import named
from plaintes_tui.filter_words import filter_parts
from plaintes_tui.i18n import interface_language, tr
from plaintes_tui.store.presence import Presence
from plaintes_tui.store.queue import (
    UNASSIGNED,
    VIEWS,
    QueueCounts,
    QueueFilter,
    QueueRow,
    has_unassigned,
    last_change,
    open_case_agents,
    queue_counts,
    waiting_count,
)
from plaintes_tui.store.queue_source import QueueSort, QueueSource, QueueView
from plaintes_tui.tui.screens.queue_assign import MarkedCases
from plaintes_tui.tui.widgets.filter_line import FilterLine
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.line_input import LineInput
from plaintes_tui.tui.widgets.queue_table import QueueTable
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.workers import LIVE_POLL_SECONDS, background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

SEARCH_DEBOUNCE_SECONDS = 0.15
_CHANNELS: tuple[str | None, ...] = (None, *(c.value for c in Channel))
_STATUSES: tuple[str | None, ...] = (
    None,
    *(s.value for s in Status if s is not Status.CLOSED),
)
_SORTS = tuple(QueueSort)


def _next(options: tuple[str | None, ...], current: str | None) -> str | None:
    return options[(options.index(current) + 1) % len(options)] if current in options else None


class QueueScreen(MarkedCases):
    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "search",
            "queue_keys.search",
            key_display="/",
            id="queue.search",
            priority=True,  # the letters typed right after must land in the search field
        ),
        Binding("a", "admissibility", "queue_keys.admissibility", id="queue.admissibility"),
        Binding("o", "toggle_overdue", "queue_keys.overdue", id="queue.overdue"),
        Binding("d", "dashboard", "queue_keys.dashboard", show=False, id="queue.dashboard"),
        Binding("m", "toggle_mine", "queue_keys.mine", show=False, id="queue.mine"),
        Binding("c", "cycle_channel", "queue_keys.channel", show=False, id="queue.channel"),
        Binding("s", "cycle_status", "queue_keys.status", show=False, id="queue.status"),
        Binding("g", "cycle_agent", "queue_keys.agent", show=False, id="queue.agent"),
        Binding("u", "toggle_unchecked", "queue_keys.unchecked", show=False, id="queue.unchecked"),
        Binding("r", "cycle_sort", "queue_keys.sort", show=False, id="queue.sort"),
        Binding("R", "reverse_sort", "queue_keys.reverse", show=False, id="queue.reverse"),
        Binding("A", "assign", "queue_keys.assign", show=False, id="queue.assign"),
        Binding(
            "asterisk",
            "mark_all",
            "queue_keys.mark_all",
            key_display="*",
            show=False,
            id="queue.mark_all",
        ),
        Binding("e", "inbox", "queue_keys.inbox", show=False, id="queue.inbox"),
        Binding(
            "i", "improvements", "queue_keys.improvements", show=False, id="queue.improvements"
        ),
        Binding("P", "print_list", "queue_list.key", show=False, id="queue.print"),
        Binding("v", "next_view", "queue_keys.next_view", show=False, id="queue.view"),
        Binding("question_mark", "keys", "queue_keys.keys", key_display="?", id="queue.keys"),
        Binding("escape", "clear", "queue_keys.clear", show=False, id="queue.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = QueueView()
        self._last_change = -1
        self._polling = False
        self._search_timer: Timer | None = None
        self._agents: tuple[str | None, ...] = (None,)
        self.counts: QueueCounts | None = None
        self.mail_waiting: tuple[int, int] = (0, 0)  # (inbox, quarantine)
        # The closed cases the search also finds (how many, the latest references).
        self.closed: tuple[int, list[str]] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="queue-counts")
        yield FilterLine(id="queue-filter")
        yield QueueTable(self.app.calculator, self._open, id="queue-table")
        yield LineInput(placeholder=tr("queue_screen.search_placeholder"), id="queue-search")
        yield Static(tr("queue_screen.legend"), id="queue-legend")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = tr("queue_screen.title")
        today = self.app.today()
        own = self.app.agent if self.app.start_with_own_cases else None
        self.view = QueueView(QueueFilter(agent=own), today)
        self.query_one("#queue-search").display = False
        self.table.focus()
        self._show_filter()
        # The first screenful is read at once: an index range of a page or two (a few
        # milliseconds at any store size), where a worker would wait for the first render.
        try:
            self._install(*self._read(self.view, None, 0, True))
        except Exception:  # shown and logged by the worker's next try
            self.reload()
        self.set_interval(LIVE_POLL_SECONDS, self._poll)
        self.show_presence(self.app.others)

    def show_presence(self, others: dict[int, list[Presence]]) -> None:
        """Mark the cases that colleagues have open, with their first names."""
        first_name = {
            p.login: self.app.person_name(p.login).split()[0] for v in others.values() for p in v
        }
        self.table.show_presence(
            {
                case: ",".join(dict.fromkeys(first_name[p.login] for p in v))
                for case, v in others.items()
            }
        )

    # -- loading -------------------------------------------------------------------------------

    def reload(
        self, keep: QueueRow | None = None, cursor: int = 0, *, store_changed: bool = True
    ) -> None:
        """Read the view again in a worker; the table keeps showing the old rows meanwhile.

        The header's counts and the list of agents change only with the store, not with the
        filter: they are read again only when the store changed.
        """
        self._show_filter()
        self._load(self.view, keep, cursor, store_changed)

    @background(group="queue-load", shows=True)
    def _load(
        self, view: QueueView, keep: QueueRow | None, cursor: int, store_changed: bool
    ) -> None:
        read = self._read(view, keep, cursor, store_changed)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._install, *read, keep=keep)

    def _read(
        self, view: QueueView, keep: QueueRow | None, cursor: int, store_changed: bool
    ) -> tuple[
        QueueSource,
        int,
        QueueCounts | None,
        tuple[str, ...] | None,
        int,
        tuple[int, int] | None,
        tuple[int, list[str]] | None,
    ]:
        """The view's rows around the cursor, and the header's figures when the store changed."""
        store = self.app.store
        version = last_change(store)
        source = QueueSource(store, view)
        count = source.count()
        if keep is not None:
            cursor = source.index_of(keep)
        cursor = max(0, min(cursor, count - 1))
        source.rows(max(0, cursor - 40), cursor + 80)  # the screen around the cursor, read ahead
        counts = queue_counts(store, view.today) if store_changed else None
        agents = tuple(open_case_agents(store)) if store_changed else None
        if agents is not None and has_unassigned(store):  # g also offers "nobody's"
            agents = (*agents, UNASSIGNED)
        mail = waiting_count(store) if store_changed else None
        closed = None
        if view.filter.search:
            from plaintes_tui.store.search import closed_matching  # at the first search

            closed = closed_matching(store, view.filter.search)
        return source, cursor, counts, agents, version, mail, closed

    def _install(
        self,
        source: QueueSource,
        cursor: int,
        counts: QueueCounts | None,
        agents: tuple[str, ...] | None,
        version: int,
        mail: tuple[int, int] | None,
        closed: tuple[int, list[str]] | None = None,
        *,
        keep: QueueRow | None = None,
    ) -> None:
        if source.view != self.view:  # a newer request is on its way
            return
        now_on = self.table.current
        if keep is not None and now_on is not None and now_on.id != keep.id:
            # The agent moved while the rows were read: the cursor follows the case they are
            # on now, never lands on whatever case took the old row's place.
            self.reload(keep=now_on, cursor=self.table.cursor, store_changed=counts is not None)
            return
        if mail is not None:
            self.mail_waiting = mail
        self._last_change = version
        self._install_rows(source, cursor)
        self.app.shown(self)  # the keys typed after the one that asked for this view go
        self.closed = closed
        self._show_filter()  # with the closed cases the search also found
        if agents is not None:
            self._agents = (None, *agents)
        if counts is not None:
            self._show_counts(counts)

    def _install_rows(self, source: QueueSource, cursor: int) -> None:
        empty = (
            tr("queue_screen.empty")
            if self.view.filter == QueueFilter()
            else tr("queue_screen.empty_filtered")
        )
        self.table.show(source, cursor, empty)

    def _show_counts(self, counts: QueueCounts) -> None:
        """The header's figures; in shorter words when the full ones do not fit (80×24)."""
        self.counts = counts
        values = {
            "open": counts.open,
            "overdue": counts.overdue,
            "ack_overdue": counts.acknowledgements_overdue,
            "reply_overdue": counts.replies_overdue,
            "due_today": counts.due_today,
            "unchecked": counts.unchecked,
        }
        header = self.query_one("#queue-counts", Static)
        width = header.content_region.width
        text = tr("queue_screen.counts", **values)
        mail = self._mail_count(short=False)
        if len(text) + len(mail) > width:
            text = tr("queue_screen.counts_short", **values)
        if len(text) + len(mail) > width:
            mail = self._mail_count(short=True)
        header.update(Text(text + mail))

    def _mail_count(self, *, short: bool) -> str:
        waiting, kept = self.mail_waiting
        if not waiting and not kept:
            return ""
        key = "mail_short" if short else "mail_waiting" if not kept else "mail_and_kept"
        return tr(f"queue_screen.{key}", waiting=waiting, kept=kept)

    def action_inbox(self) -> None:
        self.app.open_inbox()

    def action_print_list(self) -> None:
        """The cases shown (filter, search and order as on screen) as a PDF to print and a
        CSV for a spreadsheet, in the output folder's lists/."""
        self._print_list(self.view)

    @background(group="queue-print")
    def _print_list(self, view: QueueView) -> None:
        from plaintes_tui.queue_list import lines_of, write_both

        app = self.app
        source = QueueSource(app.store, view)
        rows = source.rows(0, source.count())
        lines = lines_of(rows, app.calculator, view.today, app.person_name)
        pdf, csv_path = write_both(
            lines,
            app.settings.output / "lists",
            app.now(),
            flt=view.filter,
            today=view.today,
            name_of=app.person_name,
            service=app.settings.service.in_language(interface_language())[0].name,
            service_name=self._service_name,
        )
        message = tr("queue_list.made", count=len(lines), pdf=pdf, csv=csv_path)
        app.call_from_thread(self.notify, message, timeout=20)

    def on_resize(self) -> None:
        if self.counts is not None:
            self._show_counts(self.counts)
        legend = self.query_one("#queue-legend", Static)  # in shorter words when narrow
        long = tr("queue_screen.legend")
        legend.update(
            long if len(long) <= legend.content_region.width else tr("queue_screen.legend_short")
        )

    def action_keys(self) -> None:
        """Every key of the queue, with what it does (? again hides them)."""
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    def _poll(self) -> None:
        """Another agent saved something: read the queue again, cursor on the same case.

        Every change to a case writes a journal row, so the journal's last id tells whether
        anything changed (drafts being typed do not count). Only the screen on top polls.
        """
        if self.is_current and not self._polling:
            self._polling = True
            self._read_last_change()

    @background(group="queue-poll", exclusive=False)
    def _read_last_change(self) -> None:
        try:
            version = last_change(self.app.store)
            mail = waiting_count(self.app.store)  # e-mails arrive without a journal line
        finally:
            self.app.call_from_thread(setattr, self, "_polling", False)
        self.app.call_from_thread(self._changed_since, version, mail)

    def _changed_since(self, version: int, mail: tuple[int, int]) -> None:
        if mail != self.mail_waiting and self.counts is not None:
            self.mail_waiting = mail
            self._show_counts(self.counts)
        if version != self._last_change:
            self._last_change = version
            self.reload(keep=self.table.current, cursor=self.table.cursor)

    # -- the filter line -----------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        self._poll()  # back from a case or the intake form: show what changed meanwhile

    def _show_filter(self) -> None:
        parts = filter_parts(
            self.view.filter, self.app.person_name, self.app.agent, self._service_name
        )
        closed = self.closed if self.view.filter.search else None
        self.query_one(FilterLine).show(self.view, parts, len(self.table.marked), closed)

    def _apply(self, view: QueueView, *, keys_wait: bool = True) -> None:
        """Show ``view``. Keys typed after the one that asked for it (``c enter``, ``/rauw
        enter enter`` in one go) wait until its rows are shown: they act on the list asked
        for, as when typed slowly. Not the search's own debounce: typing goes on meanwhile."""
        self.view = view
        if keys_wait:
            self.app.hold_keys_until_shown(self)
        self.reload(store_changed=False)

    def _filter(self, *, keys_wait: bool = True, **changes: Any) -> None:
        from plaintes_tui.store.access_log import niss_in  # at the first search

        niss = niss_in(str(changes.get("search", "")))
        if niss is not None:
            self._log_niss_search(niss)
        view = replace(self.view, filter=replace(self.view.filter, **changes))
        self._apply(view, keys_wait=keys_wait)

    @background(group="access-log", on_error="_log_failed")
    def _log_niss_search(self, niss: str) -> None:
        """Who looked a NISS up is logged (the search itself does not wait for it)."""
        from plaintes_tui.store.access_log import Access, record

        record(self.app.store, self.app.agent, Access.NISS_SEARCH, now=self.app.now(), detail=niss)

    def _log_failed(self, message: str, *_: object) -> None:
        self.notify(message, severity="error", timeout=15)

    # -- actions -------------------------------------------------------------------------------

    def _service_name(self, code: str) -> str:
        return named(self.app.settings.services, code, interface_language())

    def action_service(self, code: str) -> None:
        """Only the cases about one service concerned (the palette offers each)."""
        self._filter(service=code or None)

    def action_view(self, name: str) -> None:
        """One of the saved views, in place of the filter set."""
        self._apply(replace(self.view, filter=VIEWS[name]))

    def action_next_view(self) -> None:
        """v: each saved view in turn, then every open case again."""
        names: list[str | None] = [*VIEWS, None]
        current = next((n for n, f in VIEWS.items() if f == self.view.filter), None)
        following = names[(names.index(current) + 1) % len(names)] if current else names[0]
        self._apply(replace(self.view, filter=VIEWS[following] if following else QueueFilter()))

    def action_toggle_overdue(self) -> None:
        self._filter(overdue_only=not self.view.filter.overdue_only)

    def action_toggle_mine(self) -> None:
        mine = self.view.filter.agent == self.app.agent
        self._filter(agent=None if mine else self.app.agent)

    def action_cycle_channel(self) -> None:
        self._filter(channel=_next(_CHANNELS, self.view.filter.channel))

    def action_cycle_status(self) -> None:
        self._filter(status=_next(_STATUSES, self.view.filter.status))

    def action_cycle_agent(self) -> None:
        self._filter(agent=_next(self._agents, self.view.filter.agent))

    def action_toggle_unchecked(self) -> None:
        self._filter(unchecked_only=not self.view.filter.unchecked_only)

    def action_cycle_sort(self) -> None:
        following = _SORTS[(_SORTS.index(self.view.sort) + 1) % len(_SORTS)]
        self._apply(replace(self.view, sort=following, descending=False))

    def action_reverse_sort(self) -> None:
        self._apply(replace(self.view, descending=not self.view.descending))

    def action_clear(self) -> None:
        search = self.query_one("#queue-search", Input)
        search.value = ""
        search.display = False
        self.table.focus()
        self._apply(QueueView(QueueFilter(), self.view.today))

    def action_search(self) -> None:
        search = self.query_one("#queue-search", Input)
        if search.has_focus:
            raise SkipAction()  # a "/" typed in the search itself
        search.display = True
        self.set_focus(search)  # at once: the next keys typed must land in the field

    def search_for(self, text: str) -> None:
        """The search field opened with ``text`` (from the command palette), the list filtered
        at once (no typing to wait for)."""
        self.action_search()
        search = self.query_one("#queue-search", Input)
        with search.prevent(Input.Changed):
            search.value = text
        self._filter(search=text)

    @on(Input.Changed, "#queue-search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        text = event.value
        self._search_timer = self.set_timer(
            SEARCH_DEBOUNCE_SECONDS, lambda: self._filter(search=text, keys_wait=False)
        )

    @on(Input.Submitted, "#queue-search")
    def _search_done(self, event: Input.Submitted) -> None:
        """Back to the list, filtered by what was typed: the search not yet run (enter
        typed within the debounce) runs now, and the keys after enter wait for its rows."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if event.value != self.view.filter.search:
            self._filter(search=event.value)
        elif self.table.source is None or self.table.source.view != self.view:  # being read
            self.app.hold_keys_until_shown(self)
        self.table.focus()

    def _open(self, row: QueueRow) -> None:
        from plaintes_tui.tui.screens.case import CaseScreen  # loads when first opened

        self.app.push_screen(CaseScreen(row.id))

    def action_improvements(self) -> None:
        from plaintes_tui.tui.screens.improvements import ImprovementsScreen

        self.app.push_screen(ImprovementsScreen())

    def action_dashboard(self) -> None:
        from plaintes_tui.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen())

    def show_overdue_of(self, agent: str) -> None:
        self._apply(QueueView(QueueFilter(overdue_only=True, agent=agent), self.view.today))

    def action_admissibility(self) -> None:
        row = self.table.current
        if row is not None:
            self.app.check_admissibility(row.id)

    @on(QueueTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._show_filter()

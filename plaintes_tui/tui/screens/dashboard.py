"""The supervisor's dashboard: the report's figures for a period, with terminal bar charts.

The figures come from the same SQL aggregates as ``plaintes report``, read in a worker. The
overdue cases per agent are each a key away from the queue filtered on that agent.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from plaintes_tui.domain.cases import Channel
from plaintes_tui.domain.services import named
from plaintes_tui.i18n import interface_language, month_name, percent, short_date, tr
from plaintes_tui.store.report import Period, build_report
from plaintes_tui.tui.keys import Screen
from plaintes_tui.tui.text import one_line
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.workers import background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

BAR_WIDTH = 48
# One colour and one fill character per channel, so the bars read without colour too.
CHANNEL_LOOK = {
    Channel.PHONE.value: ("█", "dodger_blue2"),
    Channel.EMAIL.value: ("▓", "medium_purple"),
    Channel.LETTER.value: ("▒", "dark_orange"),
    Channel.WEB_FORM.value: ("░", "sea_green3"),
}


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _month_names(months: dict[str, Any]) -> dict[str, str]:
    """Each month in words, padded to the longest, so that the bars start in one column."""
    names = {month: month_name(month) for month in months}
    width = max((len(name) for name in names.values()), default=0)
    return {month: name.ljust(width) for month, name in names.items()}


def rolling_year(today: date) -> Period:
    """The last twelve months: this month so far and the eleven before it."""
    month = today.year * 12 + today.month - 1 - 11
    return Period(date(month // 12, month % 12 + 1, 1), today)


class DashboardScreen(Screen[None]):
    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p,left", "shift(-1)", "dashboard.previous", id="dashboard.previous"),
        Binding("n,right", "shift(1)", "dashboard.next", id="dashboard.next"),
        Binding("t", "rolling", "dashboard.rolling", id="dashboard.rolling"),
        *(Binding(str(n), f"agent({n})", show=False) for n in range(1, 10)),
        Binding("escape", "app.pop_screen", "dashboard.back", id="dashboard.back"),
    ]
    DEFAULT_CSS = """
    DashboardScreen #dashboard { padding: 0 2; }
    DashboardScreen .panel { margin-bottom: 1; border: round $primary; padding: 0 1; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.period = Period.year(date.today().year)
        self.report: dict[str, Any] = {}
        self.agents: list[str] = []
        self.app.hold_keys_until_shown(self)  # d 1 in one go: the 1 picks from the figures

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="dashboard"):
            yield Static(id="dash-summary", classes="panel")
            yield Static(id="dash-received", classes="panel")
            yield Static(id="dash-on-time", classes="panel")
            yield Static(id="dash-agents", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = tr("dashboard.title")
        self.period = Period.year(self.app.today().year)
        self.load()

    # -- data ----------------------------------------------------------------------------------

    def load(self) -> None:
        """The period's figures, read off the UI thread; the keys typed meanwhile wait."""
        self.app.hold_keys_until_shown(self)
        self.query_one("#dash-summary", Static).update(Text(tr("dashboard.loading")))
        self._read(self.period, self.app.today())

    @background(group="dashboard", shows=True)
    def _read(self, period: Period, today: date) -> None:
        store = self.app.store
        report = build_report(store, period, today)  # one scan: the months' shares come with it
        replication = None
        if self.app.settings.replication.replica:
            from plaintes_tui.replication import read_state, replication_said

            now = self.app.settings.now()
            state = read_state(self.app.settings, store.path, now)
            replication = (replication_said(state, now), state is not None and state.running)
        months = report["on_time_by_month"]
        self.app.call_from_thread(self._show, period, report, months, replication)

    def _show(
        self,
        period: Period,
        report: dict[str, Any],
        months: dict[str, Any],
        replication: tuple[str, bool] | None = None,
    ) -> None:
        if period != self.period:
            return
        self.report = report
        summary = self._summary(report)
        if replication is not None:  # where the standby stands: the coordinators answer for it
            said, running = replication
            summary = Group(summary, Text(said, style="dim" if running else "bold red"))
        self.query_one("#dash-summary", Static).update(summary)
        self.query_one("#dash-received", Static).update(self._received(report))
        self.query_one("#dash-on-time", Static).update(self._on_time(months))
        self.query_one("#dash-agents", Static).update(self._agents(report))
        self.app.shown(self)

    # -- panels --------------------------------------------------------------------------------

    def _summary(self, report: dict[str, Any]) -> RenderableType:
        admissibility = report["admissibility"]
        head = Text(
            tr(
                "dashboard.period",
                start=short_date(self.period.start),
                end=short_date(self.period.end),
            ),
            style="bold",
        )
        pct = report["acknowledged_within_deadline_pct"]
        reply = report["replied_within_deadline_pct"]
        figures = Text(
            tr(
                "dashboard.summary",
                received=report["received_total"],
                complaints=report["complaints_received"],
                admissible=admissibility["admissible"],
                inadmissible=report["inadmissible_total"],
                forwarded=report["forwarded_other_institution"],
                not_complaint=admissibility["not_a_complaint"],
                open=report["open"],
                overdue=report["overdue"],
                ombudsman=report["ombudsman"],
                ack=percent(pct),
                reply=percent(reply),
            )
        )
        second = report["second_line"]
        actions = report["improvements"]["by_status"]
        follow_up = Text(
            tr(
                "dashboard.second_line",
                requests=second["requests"],
                unanswered=second["unanswered"],
                overdue=second["unanswered_overdue"],
                concluded=sum(second["conclusions"].values()),
                proposed=actions["proposed"],
                running=actions["decided"] + actions["in_progress"],
                done=actions["done"],
            )
        )
        return Group(head, figures, follow_up)

    def _received(self, report: dict[str, Any]) -> RenderableType:
        months = report["by_month"]
        lines: list[RenderableType] = [Text(tr("dashboard.received_title"), style="bold")]
        legend = Text("  ")
        for channel, (fill, colour) in CHANNEL_LOOK.items():
            legend.append(f"{fill * 2} ", style=colour)
            legend.append(f"{tr(f'channel.{channel}')}   ")
        lines.append(legend)
        biggest = max((m["total"] for m in months.values()), default=0)
        names = _month_names(months)
        for month, counts in months.items():
            line = Text(f"  {names[month]} ")
            used = 0
            for channel, (fill, colour) in CHANNEL_LOOK.items():
                width = round(BAR_WIDTH * counts.get(channel, 0) / biggest) if biggest else 0
                line.append(fill * width, style=colour)
                used += width
            line.append(" " * max(0, BAR_WIDTH - used) + f" {counts['total']}")
            lines.append(line)
        if not months:
            lines.append(Text(f"  {tr('dashboard.nothing')}", style="dim"))
        return Group(*lines, self._services(report))

    def _services(self, report: dict[str, Any]) -> Text:
        """The cases received by the service they are about, most first."""
        services, language = self.app.settings.services, interface_language()
        shares = " · ".join(
            f"{named(services, code, language) if code else tr('report.no_service')} {count}"
            for code, count in report["by_service"].items()
            if count
        )
        line = Text(f"  {tr('dashboard.by_service')} ", style="bold")
        line.append(shares or tr("dashboard.nothing"))
        return line

    def _on_time(self, months: dict[str, Any]) -> RenderableType:
        lines: list[RenderableType] = [Text(tr("dashboard.on_time_title"), style="bold")]
        half = BAR_WIDTH // 2
        names = _month_names(months)
        for month, rates in months.items():
            line = Text(f"  {names[month]} ")
            for key, label in (("acknowledged", "ack"), ("replied", "reply")):
                value = rates[f"{key}_pct"]
                on_time, counted = rates[key]
                line.append(f"{tr(f'dashboard.{label}')} ")
                if value is None:
                    line.append("—".ljust(half + 20))
                    continue
                filled = round(half * value / 100)
                style = Style(color="green" if value >= 90 else "yellow" if value >= 75 else "red")
                line.append("■" * filled, style=style)
                line.append("·" * (half - filled), style="dim")
                line.append(f" {percent(value):>7} {f'({on_time}/{counted})':<12} ")
            lines.append(line)
        if months:
            lines.append(Text(tr("dashboard.on_time_hint"), style="dim"))
        if not months:
            lines.append(Text(f"  {tr('dashboard.nothing')}", style="dim"))
        return Group(*lines)

    def _agents(self, report: dict[str, Any]) -> RenderableType:
        lines: list[RenderableType] = [Text(tr("dashboard.agents_title"), style="bold")]
        ranked = sorted(report["per_agent"].items(), key=lambda item: -item[1]["overdue"])
        self.agents = [agent for agent, _ in ranked][:9]
        names = [one_line(agent) for agent in self.agents]
        width = max((len(name) + 1 for name in [*names, tr("report.unassigned")]), default=16)
        for number, (agent, figures) in enumerate(ranked[:9], start=1):
            line = Text(f"  {number}  ")
            line.append(f"{one_line(agent):<{max(16, width)}}", style="bold")
            line.append(
                tr("dashboard.agent_line", overdue=figures["overdue"], handled=figures["handled"]),
                style="red" if figures["overdue"] else "",
            )
            lines.append(line)
        unassigned = report["unassigned"]
        if unassigned["handled"]:
            line = Text("     ")
            line.append(f"{tr('report.unassigned'):<{max(16, width)}}", style="bold")
            line.append(
                tr(
                    "dashboard.agent_line",
                    overdue=unassigned["overdue"],
                    handled=unassigned["handled"],
                ),
                style="red" if unassigned["overdue"] else "",
            )
            lines.append(line)
        if len(ranked) > len(self.agents):  # a key each for the first nine: the rest said
            more = tr("dashboard.agents_more", count=len(ranked) - len(self.agents))
            lines.append(Text(f"     {more}", style="dim"))
        if not ranked:
            lines.append(Text(f"  {tr('dashboard.nothing')}", style="dim"))
        else:
            lines.append(Text(tr("dashboard.agents_hint"), style="dim"))
        return Group(*lines)

    # -- keys ----------------------------------------------------------------------------------

    def action_shift(self, step: int) -> None:
        """The year before or after; not a year that has not begun (it holds nothing)."""
        start, end = self.period.start, self.period.end
        if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
            following = Period.year(start.year + step)
        else:
            following = Period(_years_later(start, step), _years_later(end, step))
        if following.start > self.app.today():
            self.notify(tr("dashboard.no_future"), severity="warning")
            return
        self.period = following
        self.load()

    def action_rolling(self) -> None:
        """The last twelve months; pressed again, back to this calendar year."""
        today = self.app.today()
        rolling = rolling_year(today)
        self.period = Period.year(today.year) if self.period == rolling else rolling
        self.load()

    def action_agent(self, number: int) -> None:
        if 1 <= number <= len(self.agents):
            self.app.show_overdue_of(self.agents[number - 1])

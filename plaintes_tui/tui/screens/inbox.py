"""The inbox: e-mails that are not cases yet, oldest first (their clocks already run), each a
key away from the intake form filled in from it, or from being set aside with a reason; and
the quarantine, where messages that could not be read wait with why."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from plaintes_tui.domain.mail import references_in
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import short_date, short_moment, tr
from plaintes_tui.printable import shortened
from plaintes_tui.store.drafts import mail_aside
from plaintes_tui.store.mailbox import (
    DISMISS_REASONS,
    StoredMail,
    attach_to_case,
    cited_cases,
    dismiss,
    inbox,
    quarantined,
)
from plaintes_tui.store.scans import SEARCHABLE
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.keys import Screen
from plaintes_tui.tui.panel_rows import panel_rows, panel_width, rows_of
from plaintes_tui.tui.text import one_line, shown_path, user_text
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.scan_panel import ScanDialog, scan_text
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.workers import background

if TYPE_CHECKING:
    from plaintes_tui.mail import Imported
    from plaintes_tui.tui.desk import Desk

PREVIEW_LINES = 6


class InboxScreen(Screen[None]):
    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "case_detail.back", id="inbox.back"),
        Binding("enter", "take", "inbox.key_take", id="inbox.take", priority=True),
        Binding("d", "dismiss_mail", "inbox.key_dismiss", id="inbox.dismiss"),
        Binding("a", "attach", "inbox.key_attach", id="inbox.attach"),
        # not in the key bar (full at 80 columns): the preview says « v » when it shows a part
        Binding("v", "read", "inbox.key_read", show=False, id="inbox.read"),
        Binding("r", "fetch", "inbox.key_fetch", id="inbox.fetch"),
        Binding("q", "toggle_quarantine", "inbox.key_quarantine", id="inbox.quarantine"),
    ]
    DEFAULT_CSS = """
    InboxScreen #inbox-counts { padding: 0 1; text-style: bold; }
    InboxScreen OptionList { height: 1fr; }
    InboxScreen #inbox-preview {
        height: auto; max-height: 50%; padding: 0 1; border-top: solid $primary;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.showing_quarantine = False
        self.cited: dict[int, tuple[int, str]] = {}
        self.messages: list[StoredMail] = []
        self._writing = False  # a message being attached or set aside: the list read after
        self.app.hold_keys_until_shown(self)  # e end enter, typed in one go, takes the last

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="inbox-counts")
        yield OptionList(id="inbox-list")
        yield Static(id="inbox-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = tr("inbox.title")
        self.refresh_list()

    def on_screen_resume(self) -> None:
        if not self._writing:  # else read once it is written (the keys wait for that list)
            self.refresh_list()  # back from the intake form: the message saved is gone

    def refresh_list(self) -> None:
        self._read(self.showing_quarantine)

    @background(group="inbox-read", shows=True)
    def _read(self, quarantine: bool) -> None:
        store = self.app.store
        waiting, kept = inbox(store), quarantined(store)
        cited = {  # a case the message names, which its sender is not known for
            mail.id: found[0]
            for mail in waiting
            if (found := cited_cases(store, references_in(f"{mail.subject} {mail.body}")))
        }
        if not get_current_worker().is_cancelled:  # a read asked for later shows instead
            self.app.call_from_thread(self._show, waiting, kept, quarantine, cited)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the quarantine, nothing to take or set aside: those keys leave the key bar."""
        if action == "attach":
            return not self.showing_quarantine and self.current_cited() is not None
        if action in ("take", "dismiss_mail", "read") and self.showing_quarantine:
            return False
        if action == "take" and self.is_mounted and (mail := self.current) is not None:
            return not mail.auto_reply  # an out-of-office is never offered as a complaint
        return True

    def current_cited(self) -> tuple[int, str] | None:
        if not self.is_mounted:  # the key bar asks while the screen is still being composed
            return None
        mail = self.current
        return self.cited.get(mail.id) if mail is not None else None

    def _show(
        self,
        waiting: list[StoredMail],
        kept: list[StoredMail],
        quarantine: bool,
        cited: dict[int, tuple[int, str]],
    ) -> None:
        self.cited = cited  # set on the UI thread, with the list it goes with
        if quarantine != self.showing_quarantine:
            self.showing_quarantine = quarantine
            self.refresh_bindings()
        self.messages = kept if quarantine else waiting
        self.query_one("#inbox-counts", Static).update(
            Text(
                tr(
                    "inbox.counts_quarantine" if quarantine else "inbox.counts",
                    waiting=len(waiting),
                    kept=len(kept),
                )
            )
        )
        listed = self.query_one(OptionList)
        highlighted = listed.highlighted
        listed.clear_options()
        listed.add_options(Option(self._line(mail), id=str(mail.id)) for mail in self.messages)
        if self.messages:
            listed.highlighted = min(highlighted or 0, len(self.messages) - 1)
        else:
            self.query_one("#inbox-preview", Static).update(
                Text(tr("inbox.quarantine_empty" if quarantine else "inbox.empty"))
            )
        self.set_focus(listed)  # at once: the keys held for the list go to it
        if not self._writing:  # a list read before a write is not what its keys wait for
            self.app.shown(self)  # the keys typed meanwhile go to the list, focused first

    def _line(self, mail: StoredMail) -> Text:
        """One message on one line, cut to the screen's width (80 columns over SSH)."""
        line = Text(f"{short_date(mail.received)}  ")
        if self.showing_quarantine:
            line.append(tr(mail.reason), style="bold red")
            return line
        sender = mail.sender_name or mail.sender_email
        line.append_text(user_text(f"{shortened(sender, 22):<22}  ", style="bold"))
        extra = Text()
        if mail.scan is not None:
            extra.append(f"  {tr('inbox.scanned')}", style="italic")
        if mail.attachments and mail.scan is None:  # a scan's one is its own PDF
            extra.append(f"  {tr('inbox.attachments', count=len(mail.attachments))}")
        if mail.web_form:
            extra.append(f"  {tr('inbox.web_form')}", style="italic")
        if mail.auto_reply:
            extra.append(f"  {tr('inbox.auto_reply')}", style="italic yellow")
        room = max(10, self.size.width - 6 - line.cell_len - extra.cell_len)
        subject = user_text(one_line(mail.subject))
        subject.truncate(room, overflow="ellipsis")
        line.append_text(subject)
        line.append_text(extra)
        return line

    @property
    def current(self) -> StoredMail | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.messages):
            return None
        return self.messages[index]

    def on_resize(self) -> None:
        self._preview()  # as many of the message's lines as the new height has room for

    @on(OptionList.OptionHighlighted)
    def _preview(self) -> None:
        mail = self.current
        if mail is not None:
            self.query_one("#inbox-preview", Static).update(self._details(mail))
        if self.is_mounted:
            self.refresh_bindings()  # a is offered for a message that cites a case

    def _details(self, mail: StoredMail) -> RenderableType:
        if mail.state == "quarantined":  # nothing of it could be read but its bytes
            return Group(
                Text(tr(mail.reason), style="bold red"),
                Text(tr("inbox.imported", moment=short_moment(mail.arrived_at))),
                Text(tr("inbox.kept_in", folder=shown_path(mail.folder))),
            )
        parts = _heading(mail)
        # What the agent must know before deciding comes before the message, which takes the
        # rows left (its first lines; how many more, and « v » to read it whole).
        if mail.auto_reply:
            parts.append(Text(tr("inbox.auto_reply_note"), style="bold yellow"))
        if (cited := self.cited.get(mail.id)) is not None:
            parts.append(Text(tr("inbox.cites", reference=cited[1]), style="bold yellow"))
        if mail.scan is not None:  # the scan itself, searchable; ctrl+o shows it in the form
            pdf = shown_path(str(Path(mail.folder) / SEARCHABLE))
            parts.append(Text(tr("case_detail.scan_pdf", path=pdf), style="dim"))
        elif mail.attachments:
            names = ", ".join(f"{a['name']} ({_size(int(a['size']))})" for a in mail.attachments)
            parts.append(user_text(tr("inbox.attached", names=names)))
        lines = [line for line in mail.body.splitlines() if line.strip()]
        shown = self._lines_that_fit(parts, lines)
        parts.append(user_text("\n".join(lines[:shown]), style="italic"))
        if len(lines) > shown:
            more = tr("inbox.more_lines", count=len(lines) - shown)
            parts.append(Text(more, style="dim"))
        return Group(*parts)

    def _lines_that_fit(self, parts: list[Text], lines: list[str]) -> int:
        """How many of the message's first lines the preview shows (at most ``PREVIEW_LINES``)
        under ``parts`` and above the line saying how many more: on a short terminal, fewer,
        rather than the end of the preview cut off unseen."""
        console = self.app.console
        width = panel_width(self.query_one("#inbox-preview"), self)
        room = panel_rows(self)
        used = rows_of(parts, width, console)
        shown = 0
        for line in lines[:PREVIEW_LINES]:
            needed = rows_of([Text(line)], width, console)
            more = 1 if shown + 1 < len(lines) else 0  # the line saying how many more
            if used + needed + more > room:
                break
            used += needed
            shown += 1
        return max(shown, 1) if lines else 0

    def _whole(self, mail: StoredMail) -> Text:
        """The message to read whole: who, when, what about, and all it says (a letter: its
        lines as read)."""
        if mail.scan is not None:
            title = tr("case_detail.scan_title", day=short_date(mail.received))
            return scan_text(mail.scan, mail.body, title)
        return Text("\n").join([*_heading(mail), Text(), user_text(mail.body)])

    # -- actions -------------------------------------------------------------------------------

    def action_read(self) -> None:
        """The whole message, over the list (its preview shows the first lines)."""
        mail = self.current
        if mail is not None and mail.state == "inbox":
            self.app.push_screen(ScanDialog(self._whole(mail)))

    def action_take(self) -> None:
        """The intake form, filled in from the message: check it, complete it, save."""
        mail = self.current
        if mail is None or mail.state != "inbox":
            return
        if mail.auto_reply:
            self.notify(tr("inbox.auto_reply_note"), severity="warning")
            return
        if self.app.refused(Move.LOG):
            return
        self.app.new_case_from_mail(mail)

    def action_attach(self) -> None:
        """The message attached to the case it cites, once the agent has read who sent it."""
        mail, cited = self.current, self.current_cited()
        if mail is None or cited is None or self.app.refused(Move.MAIL_RECEIVED):
            return
        self._before_write()
        self._attach_mail(mail.id, cited)

    @background(group="inbox-write", on_error="_failed")
    def _attach_mail(self, mail_id: int, case: tuple[int, str]) -> None:
        app = self.app
        attach_to_case(app.store, mail_id, case[0], actor=app.actor, now=app.now())
        app.call_from_thread(self._done, tr("inbox.attached_to", reference=case[1]))

    def action_dismiss_mail(self) -> None:
        mail = self.current
        if mail is None or mail.state != "inbox" or self.app.refused(Move.LOG):
            return
        reasons = tuple((r, tr(f"inbox.reason_{r}")) for r in DISMISS_REASONS)
        fields = (
            Field("reason", tr("inbox.dismiss_reason"), "choice", reasons),
            Field("note", tr("inbox.dismiss_note"), required=False),
        )
        title = tr("inbox.dismiss_title", sender=one_line(mail.sender_email))
        self.app.push_screen(
            FormDialog(title, fields).keep_drafts(mail_aside(mail.id)),
            lambda result: self._set_aside(mail.id, result) if result else None,
        )

    def _before_write(self) -> None:
        """The keys typed after a message is attached or set aside (``ctrl+s d`` in one go)
        wait for the list read once it is written: they act on the messages left."""
        self._writing = True
        self.app.hold_keys_until_shown(self)

    def _set_aside(self, mail_id: int, result: dict[str, object]) -> None:
        self._before_write()
        self._dismiss(mail_id, str(result["reason"]), str(result["note"]))

    @background(group="inbox-write", on_error="_failed")
    def _dismiss(self, mail_id: int, reason: str, note: str) -> None:
        app = self.app
        dismiss(app.store, mail_id, reason, note, actor=app.actor, now=app.now())
        app.call_from_thread(self._done, tr("inbox.dismissed"))

    def action_fetch(self) -> None:
        """Read the service's mailbox now (as cron does)."""
        if self.app.refused(Move.MAIL_RECEIVED):
            return
        if not self.app.settings.mail.enabled:
            self.notify(tr("inbox.no_mailbox"), severity="warning", timeout=10)
            return
        self.notify(tr("inbox.fetching"))
        self._fetch()

    @background(group="inbox-fetch", on_error="_failed")
    def _fetch(self) -> None:
        from plaintes_tui.mail import import_mailbox

        app = self.app
        done = import_mailbox(app.store, settings=app.settings, actor=app.actor, now=app.now())
        app.call_from_thread(self._fetched, done)

    def _fetched(self, done: Imported) -> None:
        self._done(tr("mail.imported", **done.as_json()))

    def action_toggle_quarantine(self) -> None:
        # The flag changes with the list shown (in _show), never before: a key pressed while
        # the other list is being read acts on the list on screen.
        self._read(not self.showing_quarantine)

    def _done(self, message: str) -> None:
        self.notify(message, timeout=10)
        self._writing = False
        self.refresh_list()

    def _failed(self, message: str, *args: object) -> None:
        self.notify(message, severity="error", timeout=15)
        self._writing = False
        self.refresh_list()


def _heading(mail: StoredMail) -> list[Text]:
    """Who sent the message (a letter: its sender's block as the OCR read it), when it reached
    the service, and what about: the preview's first lines, and the whole message's."""
    head = Text(tr("inbox.from"), style="bold")
    if mail.scan is not None:
        block = (mail.scan.get(k) for k in ("street", "postal_code", "town", "email"))
        head.append_text(user_text(" — ".join([mail.sender_name, *filter(None, block)])))
    else:
        head.append_text(user_text(f"{mail.sender_name} <{mail.sender_email}>"))
    received = Text(tr("inbox.received", moment=short_moment(mail.arrived_at)))
    if not mail.date_trusted:
        received.append(f"  {tr('inbox.date_untrusted')}", style="bold yellow")
    subject = Text(tr("inbox.subject"), style="bold")
    subject.append_text(user_text(mail.subject))
    return [head, received, subject]


def _size(size: int) -> str:
    """An attachment's size the way the agent's language writes it (octets in French)."""
    if size < 1024:
        return tr("units.bytes", n=size)
    if size < 1024 * 1024:
        return tr("units.kilobytes", n=size // 1024)
    return tr("units.megabytes", n=f"{size / 1024 / 1024:.1f}".replace(".", ","))

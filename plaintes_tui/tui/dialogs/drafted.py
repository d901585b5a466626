"""A dialog whose typing is kept as a draft, as the intake form's is.

A reasoned reply written in the letter editor, a note, a decision's reason, an improvement
action, why a message is set aside: what is typed is written to the store (``dialog_drafts``)
at most ``DRAFT_SECONDS`` after a key, off the UI thread. If the terminal closes, SSH drops or
the program is killed, the same dialog opened again on the same case (or action, or message)
gives the text back, and says so. Left — saved or thrown away — the draft goes.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any, Self, TypeVar

from textual.timer import Timer

from plaintes_tui.i18n import short_moment, tr
from plaintes_tui.store.database import StoreError
from plaintes_tui.store.drafts import (
    DialogKey,
    delete_dialog_draft,
    keep_last_dialog_draft,
    load_dialog_draft,
    save_dialog_draft,
)
from plaintes_tui.tui.keys import ModalScreen
from plaintes_tui.tui.workers import failure_message

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

DRAFT_SECONDS = 0.3
ResultType = TypeVar("ResultType")


class DraftedDialog(ModalScreen[ResultType]):
    """Subclasses give their fields (``draft_fields``), put a draft's back (``restore``) and
    call ``typed_now`` when something changes."""

    app: Desk

    def __init__(self) -> None:
        super().__init__()
        self.draft_key: DialogKey | None = None
        self._draft_timer: Timer | None = None
        self._drafts_asked = 0  # only the last write asked for is made
        self._typed = False  # anything typed here yet: a dialog only opened keeps no draft
        self._keeping = False  # closed by no one's choice: its draft stays
        # What the dialog showed when it opened (None: text given back after a refusal): a
        # draft keeps only the fields typed over it, so that what a colleague changed in the
        # others meanwhile is not put back by an old view when the draft is given back.
        self._opened: dict[str, str] | None = None
        # The draft as this session last wrote it or found it (None: none): at its end, it is
        # kept only if still that (see store/drafts.py: another session may have taken it).
        self._last: str | None = None
        self._store_turn = threading.Lock()

    def keep_drafts(self, dialog: str, case_id: int | None = None) -> Self:
        """Keep what is typed here as the draft of ``dialog`` (on this case), before it opens:
        ``dialog`` names what it is typed on when that is not a case (``improvement-12``)."""
        if not self.app.actor.read_only:  # who may only read writes nothing, not even this
            self.draft_key = DialogKey(self.app.agent, dialog, case_id)
        return self

    def draft_fields(self) -> dict[str, str]:
        raise NotImplementedError

    def restore(self, fields: dict[str, str]) -> None:
        raise NotImplementedError

    def restore_draft(self) -> bool:
        """The draft left on this dialog, put back over what it now shows, and said (call
        once it is composed, with its fields as they open)."""
        self._opened = self.draft_fields()
        if self.draft_key is None:
            return False
        try:
            draft = load_dialog_draft(self.app.store, self.draft_key)
        except Exception as error:  # unreadable: said and logged, the dialog opens as it is
            message = failure_message(error, self.app.log_path)
            self.notify(message, severity="error", timeout=15)
            return False
        self._last = draft.text if draft is not None else None
        if draft is None or all(self._opened.get(k) == v for k, v in draft.form.items()):
            return False
        self.restore({**self._opened, **draft.form})
        self.notify(tr("form.draft_restored", moment=short_moment(draft.updated_at)))
        return True

    def typed_now(self) -> None:
        """Something changed: the draft is written at most ``DRAFT_SECONDS`` from now."""
        self._typed = True
        if self.draft_key is not None and self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_SECONDS, self._keep)

    def _typed_over(self) -> dict[str, str] | None:
        """The fields typed over what the dialog opened with (None: none is)."""
        fields = self.draft_fields()
        if self._opened is not None:
            fields = {k: v for k, v in fields.items() if self._opened.get(k) != v}
        return fields or None

    def _keep(self) -> None:
        self._draft_timer = None
        self._ask(self._typed_over())

    def _ask(self, fields: dict[str, str] | None) -> None:
        """The write, off the UI thread, in a worker of the app's: the last one (the draft's
        deletion) runs after the dialog is gone."""
        self._drafts_asked += 1
        app, asked = self.app, self._drafts_asked
        app.run_worker(
            partial(self._write, app, fields, asked),
            thread=True,
            group="dialog-draft",
            exclusive=False,
            exit_on_error=False,
        )

    def _write(self, app: Desk, fields: dict[str, str] | None, asked: int) -> None:
        """Kept (None: deleted), unless a later write was asked for meanwhile; a failure is
        shown and logged, never the app's end."""
        with self._store_turn:
            if asked != self._drafts_asked or self.draft_key is None:
                return
            try:
                if fields is None:
                    delete_dialog_draft(app.store, self.draft_key)
                    self._last = None
                else:
                    self._last = save_dialog_draft(app.store, self.draft_key, fields, app.now())
            except Exception as error:  # no worker may end the app
                message = failure_message(error, app.log_path)
                with suppress(RuntimeError):  # the app is closing: the log has it
                    app.call_from_thread(app.notify, message, severity="error", timeout=15)

    def keep_draft_now(self) -> None:
        """The draft written at once, when the app is about to close."""
        if self.draft_key is None or not self._typed:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        app, fields = self.app, self._typed_over()
        with self._store_turn:
            try:  # unless another session of the agent's took the draft over meanwhile
                keep_last_dialog_draft(app.store, self.draft_key, fields, app.now(), self._last)
            except StoreError as error:  # closing anyway: the log keeps why
                failure_message(error, app.log_path)

    def close_keeping_draft(self) -> Any:
        """Closed as if never opened (typing meant for elsewhere): the draft stays."""
        self._keeping = True
        return self.dismiss(None)

    def dismiss(self, result: Any = None) -> Any:
        """Left, saved or thrown away: the draft goes (a save refused gives the typed text
        back in a new dialog, which keeps it again)."""
        if self.draft_key is not None and not self._keeping:
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self._ask(None)
        return super().dismiss(result)

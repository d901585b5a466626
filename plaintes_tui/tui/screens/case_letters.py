"""The case file's letters: choosing one, editing it, producing it (its PDF and e-mail) and
sending the e-mails that did not leave; and the letters the complainant sent, scanned, as the
OCR read them. A mixin of the case screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text

from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.letters import KindChoice, Letter, LetterKind
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.letters import choices_for, draft_letter, produce_letter, send_letter
from plaintes_tui.store.mailbox import StoredMail
from plaintes_tui.store.outbox import SENDABLE, Send
from plaintes_tui.store.scans import SEARCHABLE
from plaintes_tui.tui.dialogs.letter import LetterDialog
from plaintes_tui.tui.dialogs.letter_kind import LetterKindDialog
from plaintes_tui.tui.screens.case_person import ComplainantActions
from plaintes_tui.tui.text import shown_path
from plaintes_tui.tui.widgets.scan_panel import ScanDialog, scan_text
from plaintes_tui.tui.workers import background


class CaseLetters(ComplainantActions):
    """The letters' keys of the case file (``l``, ``e``, ``v``)."""

    case_id: int
    letters: list[dict[str, Any]]
    scans: list[StoredMail]  # the case's scanned letters, oldest first

    def read_only(self) -> bool:
        """True (and the agent told) when this agent may only read: no letter, no sending."""
        return self.app.refused(Move.LETTER)

    def action_letter(self) -> None:
        """The letters this case may be sent, read off the UI thread. Keys typed with the
        ``l`` wait for the list (``l down enter`` in one go picks the second letter); a word
        typed by mistake that starts with an ``l`` closes it again (see the app's keys)."""
        if not self.case or self.typed_by_mistake() or self.read_only():
            return
        self._letter_choices(self.case, self.app.last_key_at)

    @background(group="case-letter", on_error="_show_failure", keys_wait=True)
    def _letter_choices(self, case: Case, key_at: float) -> None:
        choices = choices_for(self.app.store, case)
        self.app.call_from_thread(self._choose_letter, case, choices, key_at)

    def _choose_letter(self, case: Case, choices: list[KindChoice], key_at: float) -> None:
        dialog = LetterKindDialog(tr("letters.choose", reference=case.reference), choices)
        dialog.opened_by_key_at = key_at
        self.app.push_screen(dialog, lambda kind: self._edit_letter(kind) if kind else None)

    @background(group="case-letter", on_error="_show_failure", keys_wait=True)
    def _edit_letter(self, kind: LetterKind) -> None:
        app = self.app
        draft = draft_letter(
            app.store,
            self.current,
            kind,
            settings=app.settings,
            agent=app.agent,
            reference_data=app.reference,
        )
        app.call_from_thread(self._open_letter, kind, draft.letter, draft.notices)

    def _open_letter(self, kind: LetterKind, letter: Letter, notices: tuple[str, ...]) -> None:
        self.app.push_screen(
            LetterDialog(self._letter_title(kind), letter, notices).keep_drafts(
                f"letter-{kind.value}", self.current.id
            ),
            lambda edited: self._produce(kind, edited, notices) if edited else None,
        )

    def _letter_title(self, kind: LetterKind) -> str:
        return tr(
            "letters.title",
            kind=tr(f"letters.{kind.value}"),
            reference=self.current.reference,
            language=tr(f"language_name.{self.current.language}"),
        )

    @background(group="case-move", on_error="_produce_failed")
    def _produce(self, kind: LetterKind, letter: Letter, notices: tuple[str, ...]) -> None:
        app = self.app
        produced = produce_letter(
            app.store,
            self.case_id,
            self.current.version,
            kind,
            letter,
            settings=app.settings,
            actor=app.actor,
            now=app.now(),
            calculator=app.calculator,
        )
        app.call_from_thread(self._produced, produced.send, produced.files, produced.error)

    def _produced(
        self, send: Send, files: tuple[Path, ...], error: str | None, said: str = "letters.produced"
    ) -> None:
        self.refresh_case()
        names = ", ".join(path.name for path in files)
        message = tr(said, reference=self.current.reference, files=names)
        failed = send is Send.FAILED
        state = tr(f"send.{send.value}", error=error or "")
        self.notify(
            f"{message}\n{state}", severity="error" if failed else "information", timeout=15
        )

    def _produce_failed(
        self, message: str, kind: LetterKind, letter: Letter, notices: tuple[str, ...]
    ) -> None:
        """Not produced: say why, show the case as it now is, and give the edited text back."""
        self.notify(tr("case_actions.stale", error=message), severity="error", timeout=15)
        self.refresh_case()
        self._open_letter(kind, letter, notices)

    def action_scan(self) -> None:
        """The scanned letters of the case as read, each with where its searchable PDF is."""
        if not self.scans:
            self.notify(tr("case_detail.no_scan"), severity="warning")
            return
        text = Text()
        for mail in reversed(self.scans):  # the latest first
            title = tr("case_detail.scan_title", day=short_date(mail.received))
            text.append_text(scan_text(mail.scan or {}, mail.body, title))
            pdf = shown_path(str(Path(mail.folder) / SEARCHABLE))
            text.append(f"{tr('case_detail.scan_pdf', path=pdf)}\n\n", style="dim")
        self.app.push_screen(ScanDialog(text))

    def action_send(self) -> None:
        """Send the e-mails of this case's letters that did not leave (failed or held)."""
        if not self.case or self.typed_by_mistake() or self.read_only():
            return
        waiting = [row for row in self.letters if row["send"] in SENDABLE]
        if not waiting:
            self.notify(tr("send.nothing_waiting"), severity="warning")
            return
        self._send([int(row["id"]) for row in waiting])

    @background(group="case-send", on_error="_show_failure")
    def _send(self, letter_ids: list[int]) -> None:
        app = self.app
        results = [
            send_letter(app.store, letter_id, settings=app.settings, actor=app.actor, now=app.now())
            for letter_id in letter_ids
        ]
        app.call_from_thread(self._sent, results)

    def _sent(self, results: list[tuple[Send, str | None]]) -> None:
        self.refresh_case()
        for state, error in results:
            self.notify(
                tr(f"send.{state.value}", error=error or ""),
                severity="error" if state is Send.FAILED else "information",
                timeout=15,
            )

"""A one-line field that keeps a pasted text whole.

Textual's ``Input`` keeps only the first line of a paste, and nothing of one that starts with
a blank line: an address copied from an e-mail ("Rue de la Loi 16" then "1000 Bruxelles")
would lose its town unseen. Here the lines are joined by a space, and the agent is told.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from plaintes_tui.i18n import tr
from plaintes_tui.tui.pastes import pasted_line


class LineInput(Input):
    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Textual's own handler would paste the first line again
        text, joined = pasted_line(event.text)
        if not text:
            return
        if joined > 1:
            self.app.notify(tr("form.paste_joined", count=joined))
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

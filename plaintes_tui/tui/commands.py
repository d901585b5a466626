"""The command palette (ctrl+p): every queue action, and opening a case by its reference."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from plaintes_tui.i18n import interface_language, tr
from plaintes_tui.tui.keys import own_keys

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

# A reference as typed: "P-2026-00042", "2026-42", "p2026 42", "202642"; its year is this
# century's (12730 is not case 0 of year 1273).
REFERENCE = re.compile(r"^\s*p?-?\s*(20\d\d)\s*-?\s*(\d{1,6})\s*$", re.IGNORECASE)


class QueueCommands(Provider):
    """The actions of the queue screen, by the names the footer gives them."""

    def _actions(self) -> list[tuple[str, str]]:
        return own_keys(self.screen)

    def _views(self) -> list[tuple[str, str]]:
        from plaintes_tui.store.queue import LONG_PAUSE_DAYS, OLD_CASE_DAYS, VIEWS

        days = {"long_paused": LONG_PAUSE_DAYS, "old_open": OLD_CASE_DAYS}
        if not hasattr(self.screen, "action_view"):
            return []
        return [
            (tr(f"queue_keys.view_{name}", days=days.get(name, 0)), f"view('{name}')")
            for name in VIEWS
        ]

    def _services(self) -> list[tuple[str, str]]:
        """The cases about one service concerned: found by searching, not listed at first."""
        if not hasattr(self.screen, "action_service"):
            return []
        language = interface_language()
        return [
            (tr("queue_keys.service", service=service.name(language)), f"service('{service.code}')")
            for service in cast("Desk", self.app).settings.services
            if service.active
        ]

    async def discover(self) -> Hits:
        for name, action in [*self._views(), *self._actions()]:
            yield DiscoveryHit(name, partial(self.screen.run_action, action))

    async def search(self, query: str) -> Hits:
        match = REFERENCE.match(query)
        if match and int(match.group(2)):
            reference = f"P-{match.group(1)}-{int(match.group(2)):05d}"
            yield Hit(
                1.0,
                tr("queue_keys.open_reference", reference=reference),
                partial(self.app.run_action, f"open_reference('{reference}')"),
                help=tr("queue_keys.open_reference_help"),
            )
        matcher = self.matcher(query)
        for name, action in [*self._views(), *self._services(), *self._actions()]:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.screen.run_action, action))
        if query.strip():  # last: never an empty list (nor Textual's English "No matches")
            yield self._otherwise(query.strip())

    def _otherwise(self, query: str) -> Hit:
        """The queue's search for what was typed; elsewhere, that no command is called so."""
        search_for = getattr(self.screen, "search_for", None)
        if search_for is not None:
            shown = tr("palette.search_for", text=query)
            return Hit(
                0.001, Text(shown), partial(search_for, query), help=tr("palette.search_help")
            )
        return Hit(0.001, Text(tr("palette.no_command", text=query)), lambda: None)

"""A queue's filter in words: the filter line under the queue's header, a printed list's
subtitle. Apart from the lists it describes, so that the queue's first screen reads it alone."""

from __future__ import annotations

from collections.abc import Callable

from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.queue import UNASSIGNED, QueueFilter


def filter_parts(
    flt: QueueFilter,
    name_of: Callable[[str], str],
    me: str | None = None,
    service_name: Callable[[str], str] = str,
) -> list[str]:
    """What a list holds, part by part, in words (``me``: the reader, whose own list says so;
    ``service_name``: a service concerned's name from its code)."""
    parts = [tr("queue_screen.filter_overdue")] if flt.overdue_only else []
    if flt.agent == UNASSIGNED:
        parts.append(tr("queue_screen.filter_unassigned"))
    elif flt.agent is not None:
        key = "queue_screen.filter_mine" if flt.agent == me else "queue_screen.filter_agent"
        parts.append(tr(key, agent=one_line(name_of(flt.agent))))
    if flt.channel:
        parts.append(tr("queue_screen.filter_channel", channel=tr(f"channel.{flt.channel}")))
    if flt.status:
        parts.append(tr("queue_screen.filter_status", status=tr(f"status.{flt.status}")))
    if flt.service:
        parts.append(tr("queue_screen.filter_service", service=one_line(service_name(flt.service))))
    if flt.due_today:
        parts.append(tr("queue_screen.filter_due_today"))
    if flt.paused_over_days is not None:
        parts.append(tr("queue_screen.filter_long_paused", days=flt.paused_over_days))
    if flt.open_over_days is not None:
        parts.append(tr("queue_screen.filter_old_open", days=flt.open_over_days))
    if flt.unchecked_only:
        parts.append(tr("queue_screen.filter_unchecked"))
    if flt.search.strip():
        parts.append(tr("queue_screen.filter_search", text=one_line(flt.search.strip())))
    return parts

"""Work off the UI thread that can fail without ending the app.

Every screen runs its store calls with :func:`background`. Whatever such a call raises — a
refusal, a store that has become read-only, a full disk, a bug — is logged to the file beside
the store, shown to the agent in one sentence, and handed to the screen's ``on_error`` method
with the call's own arguments, so that the screen can give the agent's typed text back.

A short read whose answer must be on screen before the next key is handled (the agents'
workload behind the assignment dialog: keys typed right after must reach the dialog) runs on
the UI thread through :func:`at_once`, which fails the same way.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textual import work
from textual.dom import DOMNode

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr

# How often a screen on top looks whether a colleague saved something (the journal's last row:
# one indexed read), to show it.
LIVE_POLL_SECONDS = 1.0

log = logging.getLogger("plaintes_tui")


def log_beside(store: Path) -> Path | None:
    """Send the app's log to ``plaintes.log`` beside the store; None when it cannot be written
    there (the failures are still shown on screen)."""
    path = store.with_suffix(".log")
    for old in [h for h in log.handlers if isinstance(h, logging.FileHandler)]:
        log.removeHandler(old)
        old.close()
    try:
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


Node = TypeVar("Node", bound=DOMNode)


Result = TypeVar("Result")


def at_once(node: DOMNode, read: Callable[[], Result]) -> Result | None:
    """``read()`` now, on the UI thread; None after a failure, shown and logged as a
    background call's would be. Only for an indexed read of a few milliseconds."""
    try:
        return read()
    except Exception as error:  # no read may end the app
        app: Any = node.app
        app.notify(
            failure_message(error, getattr(app, "log_path", None)),
            severity="error",
            timeout=15,
            markup=False,
        )
        return None


def failure_message(error: BaseException, log_path: object) -> str:
    """What the agent reads: a refusal as it is, anything else as a fault logged in the file."""
    if isinstance(error, UserError):
        log.info("refused: %s", error)
        return str(error)
    log.error("unexpected failure", exc_info=error)
    if log_path is None:  # no log could be opened beside the store: say so, not "None"
        return tr("app.unexpected_unlogged", error=f"{type(error).__name__}: {error}")
    return tr("app.unexpected", error=f"{type(error).__name__}: {error}", log=log_path)


def background(
    *,
    group: str,
    on_error: str | None = None,
    exclusive: bool = True,
    keys_wait: bool = False,
    shows: bool = False,
) -> Callable[[Callable[..., None]], Callable[..., Any]]:
    """A threaded worker of ``group`` (by default exclusive) that never ends the app.

    ``on_error`` names a method of the screen called on the UI thread as
    ``method(message, *args, **kwargs)`` after a failure; without it, the message is shown.
    With ``keys_wait``, the keys typed after the one that started it wait until it is done
    and what it handed to the UI thread has run (``l enter`` in one go: the enter picks from
    the list the ``l`` reads, and never reaches the screen beneath it). ``shows``: the read
    that the screen's held keys wait for (see ``hold_keys_until_shown``) — failed, it is
    shown as failed, and the keys go.
    """

    def decorate(method: Callable[..., None]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: DOMNode, *args: Any, **kwargs: Any) -> None:
            app: Any = self.app
            try:
                method(self, *args, **kwargs)
            except Exception as error:  # no worker may end the app
                message = failure_message(error, getattr(app, "log_path", None))
                handler = getattr(self, on_error) if on_error else None
                try:
                    if handler is not None:
                        app.call_from_thread(handler, message, *args, **kwargs)
                    else:
                        app.call_from_thread(
                            app.notify, message, severity="error", timeout=15, markup=False
                        )
                    if shows:
                        app.call_from_thread(app.shown, self)
                except RuntimeError:  # the app is closing: the log has it
                    pass
            finally:
                if keys_wait:
                    with contextlib.suppress(RuntimeError):  # closing: no key to wait
                        app.call_from_thread(app.release_keys)

        worker = work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(guarded)
        if not keys_wait:
            return worker

        @functools.wraps(method)
        def holding(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
            self.app.hold_keys()  # type: ignore[attr-defined]
            return worker(self, *args, **kwargs)

        return holding

    return decorate

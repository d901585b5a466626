"""The ``plaintes`` command as installed: Python's collector rests while the program starts.

Start-up makes objects that live as long as the process (modules, classes, the app's widgets,
styles and first rows); the collector, walking them again and again as they are made, was a
tenth of the wait for the first screen. A command turns it back on once its words are read
(see ``cli.main``); the app once its queue is drawn and warmed up, after setting what start-up
made aside, so that no later collection walks it again (see ``tui.app.warm_up``).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    gc.disable()
    from plaintes_tui.cli import main as command

    return command(argv)

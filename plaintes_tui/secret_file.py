"""Secrets the service keeps in files (the proxy's key, mail passwords): never in a variable or
a crontab line, and never in a file another account can read."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr


def read_secret(path: Path, setting: str) -> str:
    """The secret in ``path`` (its first line), or one sentence: missing, unreadable, empty, or
    readable by another account than the one running the program."""
    if path.exists() and not path.is_file():  # a pipe would wait for ever
        raise UserError(tr("secret.not_a_file", path=path, setting=setting))
    try:
        status = path.stat()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(tr("secret.missing", path=path, setting=setting)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(tr("secret.unreadable", path=path, setting=setting, error=error)) from None
    if status.st_uid != os.getuid() or status.st_mode & 0o077:
        fix = f"chown $(id -un): {shlex.quote(str(path))} && chmod 600 {shlex.quote(str(path))}"
        raise UserError(tr("secret.exposed", path=path, setting=setting, fix=fix))
    secret = text.splitlines()[0].strip() if text.strip() else ""
    if not secret:
        raise UserError(tr("secret.empty", path=path, setting=setting))
    return secret

"""The TOML files the program ships: its message catalogues, the admissibility checklist, its
reference lists and answers. Each is read at start-up (a broken one stops the program before
it opens), so ``make compile`` writes a JSON copy beside each (``python -m
plaintes_tui.packaged``): JSON parses in a twentieth of TOML's time. The TOML stays the
source: a copy older than it, or unreadable, is passed over.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).parent / "resources"


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A nested table as one level of dotted keys (a catalogue's messages)."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def _as_parsed(table: dict[str, Any]) -> dict[str, Any]:
    return table


# The folders whose TOML is compiled, and the form each copy holds.
FOLDERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "messages": flatten,
    "admissibility": _as_parsed,
}


def read_toml(source: Path) -> dict[str, Any]:
    """``source`` as its folder keeps it (see ``FOLDERS``): from its JSON copy while that is
    not older. Raises ``tomllib.TOMLDecodeError`` as reading the TOML would."""
    compiled = source.with_suffix(".json")
    try:
        if compiled.stat().st_mtime >= source.stat().st_mtime:
            return dict(json.loads(compiled.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass  # no compiled copy, or a broken one: the source says the same
    import tomllib

    return FOLDERS[source.parent.name](tomllib.loads(source.read_text(encoding="utf-8")))


def compile_folder(folder: Path) -> list[Path]:
    """Write each TOML of ``folder`` as JSON beside it; the copies written."""
    import tomllib

    written = []
    for source in sorted(folder.glob("*.toml")):
        data = FOLDERS[folder.name](tomllib.loads(source.read_text(encoding="utf-8")))
        target = source.with_suffix(".json")
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for name in FOLDERS:
        for path in compile_folder(RESOURCES / name):
            print(f"compiled {path.relative_to(RESOURCES)}")

"""Make the README's screenshots from the app itself: SVG, and PNG when rsvg-convert exists.

Run with `make screenshots`. Uses a throwaway demo store and a frozen date.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from datetime import date
from pathlib import Path

from plaintes_tui.settings import Settings
from plaintes_tui.tui.app import PlaintesApp

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 28)
SIZE = (120, 36)


async def home() -> None:
    app = PlaintesApp(Settings(), agent="alice", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_screenshot(filename="home.svg", path=str(HERE))


def to_png(svg: Path) -> None:
    converter = shutil.which("rsvg-convert")
    if converter:
        subprocess.run([converter, str(svg), "-o", str(svg.with_suffix(".png"))], check=True)


def main() -> None:
    asyncio.run(home())
    for svg in sorted(HERE.glob("*.svg")):
        to_png(svg)
        print(f"wrote {svg.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()

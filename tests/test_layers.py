"""The domain, the store and the settings are plain Python: no Textual, no Rich."""

import subprocess
import sys


def test_core_imports_nothing_of_the_interface() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import plaintes_tui.domain, plaintes_tui.store\n"
        "for package in (plaintes_tui.domain, plaintes_tui.store):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "import plaintes_tui.settings, plaintes_tui.cli\n"
        "leaks = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}"
        " or m.startswith('plaintes_tui.tui'))\n"
        "print(','.join(leaks))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""

"""The batch path never pays for the terminal app, and the app's first frame never waits
for the core: checked in fresh interpreters, where sys.modules tells the truth."""

from __future__ import annotations

import subprocess
import sys

from tests.tui.conftest import ROOT


def modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def test_core_and_batch_commands_do_not_import_textual():
    loaded = modules_after(
        "import gtmcompass.tui, gtmcompass.cli, gtmcompass.scoring.engine, gtmcompass.io.files, "
        "gtmcompass.scoring.results\n"
        "from gtmcompass.cli import run_command\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run_command(['score', 'profiles/medical-partners.toml'])")
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_the_apps_first_screen_modules_do_not_import_the_core():
    loaded = modules_after("import gtmcompass.tui.app")
    for heavy in ("numpy", "pydantic", "gtmcompass.scoring.engine", "gtmcompass.model.profile"):
        assert heavy not in loaded, heavy

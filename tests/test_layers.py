"""The package's layers, checked by import-linter with the contracts in pyproject.toml."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import gtmcompass

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("vocab", "model", "io", "scoring", "decide", "render", "tui")


def test_import_linter_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_module_lives_in_a_layer() -> None:
    """A module added at the top of the package would sit outside every contract."""
    top = Path(gtmcompass.__file__).parent
    loose = sorted(p.stem for p in top.glob("*.py")
                   if p.stem not in {"__init__", "__main__", "cli", "api"})
    assert loose == []
    assert all((top / layer / "__init__.py").exists() for layer in LAYERS)


def test_no_code_branches_on_the_language() -> None:
    """Text is chosen by looking it up (vocab.i18n, data/messages.toml), never by an if."""
    top = Path(gtmcompass.__file__).parent
    pattern = re.compile(r"\blang\s*(==|!=)")
    found = [f"{p.relative_to(top)}:{n}" for p in sorted(top.rglob("*.py"))
             for n, line in enumerate(p.read_text("utf-8").splitlines(), start=1)
             if pattern.search(line)]
    assert found == []

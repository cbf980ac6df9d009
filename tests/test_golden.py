"""What a user sees does not change unless a change means it to.

The golden files hold the JSON of ``profiles/`` and of a seeded 1,000-profile batch, and every
example's Markdown and HTML report in both languages. A deliberate change of output is kept by
running ``python tests/golden/regenerate.py`` and reviewing the diff.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
_spec = importlib.util.spec_from_file_location("regenerate", GOLDEN / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)



@functools.cache
def current() -> dict[str, bytes]:
    """What the code produces now, computed once, when the first test here runs."""
    return regenerate.outputs()


# One worker runs them all: the outputs take about 35 s to make and are made once per process.
@pytest.mark.xdist_group("golden")
@pytest.mark.parametrize("name", regenerate.names())
def test_output_matches_its_golden_file(name: str) -> None:
    expected = (GOLDEN / name).read_bytes()
    assert current()[name] == expected, f"{name} changed: run tests/golden/regenerate.py and review"


@pytest.mark.xdist_group("golden")
def test_every_golden_file_is_still_produced() -> None:
    kept = {p.name for p in GOLDEN.iterdir() if p.suffix in {".json", ".md", ".html"}}
    assert kept == set(current())

"""Nothing injected: user text (a profile's name, a file's name, a key) reaches a terminal, a
CSV, JSON, Markdown or HTML file only in a form that cannot act there.

The rules are checked for all text (hypothesis) on the one module that applies them,
gtmcompass.vocab.escape, and end to end on every command and on the app with the names that
broke each output before: an escape sequence that retitled the terminal, a ``<script>``, a
newline that started a Markdown heading, a right-to-left override, a look-alike key.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from gtmcompass.cli import main
from gtmcompass.io.files import load_profile
from gtmcompass.render.formats import to_json
from gtmcompass.render.report import report_text
from gtmcompass.scoring.engine import Engine
from gtmcompass.vocab.escape import (
    fit,
    html_text,
    json_dumps,
    key_shown,
    md_text,
    terminal_safe,
)
from tests.conftest import PROFILES
from tests.hardening.conftest import count
from tests.hardening.util import fuzz

# The characters a terminal or a reader acts on, spelt out here rather than taken from the
# code under test: C0, DEL, C1, line/paragraph separators, lone surrogates, bidi controls.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F,
                         0x061C)}


def acts(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs") or ch in BIDI


def raw_controls(text: str) -> list[str]:
    return sorted({f"U+{ord(ch):04X}" for ch in text if acts(ch) and ch not in "\n"})


# Text weighted towards what attacks use: controls, bidi, markup and Markdown punctuation.
HOSTILE = st.text(alphabet=st.one_of(
    st.characters(codec=None),
    st.sampled_from(sorted(BIDI) + ["\x1b", "\x9b", "\x00", "\r", "\n", "\u2028", "\\", "|",
                                    "<", ">", "&", "#", "`", "*", "_", "[", "]", "中", "\x7f"]),
))

ATTACK = "\x1b[31mRED\x1b]0;title\x07 nul\x00 one\x01 cr\r \x9b csi \u202eevil"


# -- the rules, for all text ----------------------------------------------------------------


@fuzz
@given(HOSTILE)
def test_terminal_safe_leaves_nothing_a_terminal_acts_on(text):
    count("inputs tried")
    shown = terminal_safe(text)
    assert not any(acts(ch) for ch in shown), repr(shown)
    # Text with nothing to escape is shown as it is (Chinese, emoji, right-to-left letters).
    if not any(acts(ch) for ch in text):
        assert shown == text


@fuzz
@given(HOSTILE)
def test_markdown_text_is_one_line_of_plain_text(text):
    count("inputs tried")
    md = md_text(text)
    assert not any(acts(ch) for ch in md), repr(md)
    assert "<" not in md and ">" not in md
    # Every "|" is escaped: preceded by an odd number of backslashes.
    for m in re.finditer(r"(\\*)\|", md):
        assert len(m.group(1)) % 2 == 1, repr(md)
    assert not re.match(r"\s*([#>+=-]|\d+[.)])", md), repr(md)


@fuzz
@given(HOSTILE)
def test_json_round_trips_and_shows_no_control(text):
    count("inputs tried")
    for encoded in (json_dumps(text), to_json([{"source": text, "name": text}])):
        assert raw_controls(encoded) == [], repr(encoded)  # to_json's own line breaks aside
        decoded = json.loads(encoded)
        assert decoded == text or decoded == [{"source": text, "name": text}]


@fuzz
@given(HOSTILE)
def test_html_text_is_isolated_and_escaped(text):
    count("inputs tried")
    out = html_text(text)
    assert out.startswith("<bdi>") and out.endswith("</bdi>")
    inner = out[len("<bdi>"):-len("</bdi>")]
    assert "<" not in inner and ">" not in inner and not any(acts(ch) for ch in inner)


@fuzz
@given(HOSTILE, st.integers(min_value=1, max_value=80), st.booleans())
def test_fit_never_exceeds_the_width(text, width, pad):
    count("inputs tried")
    text = terminal_safe(text)
    out = fit(text, width, pad=pad)
    assert cell_len(out) <= width
    if cell_len(text) <= width:
        assert out.rstrip(" ") == text.rstrip(" ")
    else:
        assert out.endswith("…")
    chars = fit(text, width, cells=False)
    assert chars == text if len(text) <= width else (len(chars) == width
                                                     and chars.endswith("…"))


@fuzz
@given(HOSTILE)
def test_a_key_is_shown_in_plain_ascii(key):
    count("inputs tried")
    shown = key_shown(key)
    assert shown.isascii() and shown.isprintable()
    assert (shown == key) == (key.isascii() and key.isprintable())


def test_chinese_stays_readable_in_json():
    assert json_dumps("医疗伙伴") == '"医疗伙伴"'
    assert json_dumps("\u202e\x9b") == '"\\u202e\\u009b"'


# -- end to end: every command, the report, the app -----------------------------------------


@pytest.fixture
def hostile(tmp_path) -> dict[str, Path]:
    text = (PROFILES / "medical-partners.toml").read_text()

    def named(file: str, name: str) -> Path:
        path = tmp_path / file
        lines = [f"name = {json.dumps(name)}" if line.startswith("name =") else line
                 for line in text.splitlines()]
        path.write_text("\n".join(lines) + "\n")
        return path

    return {
        "controls": named("controls.toml", ATTACK),
        "file": named("good\x1b[2J.toml", "Plain"),
        "script": named("script.toml", "<script>alert(1)</script> | [x](javascript:1)"),
        "heading": named("heading.toml", "A\n# Injected heading"),
        "markup": named("markup.toml", "[bold red]x[/]"),
        "long": named("long.toml", "x" * 120),
    }


def run(capsys, *argv: str) -> tuple[str, str]:
    main(list(argv))
    out = capsys.readouterr()
    return out.out, out.err


@pytest.mark.parametrize("command", [
    ["report"], ["report", "--format", "html"], ["score", "--format", "csv"],
    ["score", "--format", "json"], ["score", "--format", "markdown"], ["score"], ["rank"],
    ["validate"],
])
def test_no_command_prints_a_control_character(capsys, hostile, command):
    for key in ("controls", "file"):
        count("inputs tried")
        out, err = run(capsys, *command, str(hostile[key]))
        assert raw_controls(out) == [] and raw_controls(err) == [], (key, out[:300])


def test_the_csv_shows_the_name_and_source_escaped(capsys, hostile):
    out, _ = run(capsys, "score", "--format", "csv", str(hostile["controls"]),
                 str(hostile["file"]))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["name"] == terminal_safe(ATTACK)
    assert rows[0]["name"].startswith("\\x1b[31mRED\\x1b]0;title\\x07")
    assert rows[1]["source"].endswith("good\\x1b[2J.toml")


def test_the_json_keeps_the_name_exactly(capsys, hostile):
    out, _ = run(capsys, "score", "--format", "json", str(hostile["controls"]))
    assert "\\u009b" in out and "\\u202e" in out
    assert json.loads(out)[0]["name"] == ATTACK


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_reports_show_html_and_headings_as_text(hostile, lang):
    engine = Engine()
    for key in ("script", "heading"):
        path = hostile[key]
        # report_text is both `gtmcompass report` and the app's Markdown export (F5).
        md = report_text(engine, load_profile(path), "markdown", lang, str(path))
        assert "<script>" not in md
        assert not re.search(r"(?<!\\)\]\(javascript", md)  # the link's "]" is escaped
        assert "&lt;script&gt;" in md or key != "script"
        assert not any(line.startswith("# Injected") for line in md.splitlines())
        assert md.splitlines()[0].count("#") == 1 + (key == "heading")


def test_the_score_markdown_table_escapes_names(capsys, hostile):
    out, _ = run(capsys, "score", "--format", "markdown", str(hostile["script"]),
                 str(hostile["heading"]))
    assert "<script>" not in out
    rows = out.splitlines()[2:]
    # The pipe in the name is escaped, so each row has the header's number of cells.
    head = out.splitlines()[0].count(" | ")
    assert [len(re.findall(r"(?<!\\) \| ", r)) for r in rows] == [head, head]


def test_html_report_isolates_bidi_and_wraps_long_names(hostile):
    engine = Engine()
    page = report_text(engine, load_profile(hostile["controls"]), "html", "en",
                       str(hostile["file"]))
    assert raw_controls(page.replace("\n", "")) == []
    assert "<bdi>\\x1b[31mRED" in page
    assert "<bdi>" + str(hostile["file"]).replace("\x1b", "\\x1b") + "</bdi>" in page
    long = report_text(engine, load_profile(hostile["long"]), "html", "en", "long.toml")
    # A 120-character word wraps inside the page instead of running past its 960 px.
    body = re.search(r"body\{[^}]*\}", long).group()
    assert "overflow-wrap:anywhere" in body
    assert f"<bdi>{'x' * 120}</bdi>" in long


def test_a_name_that_looks_like_markup_is_shown_as_written(capsys, hostile):
    out, _ = run(capsys, "score", str(hostile["markup"]))
    assert "[bold red]x[/]" in out


@pytest.mark.parametrize(("key", "shown", "named"), [
    ("ca\u200bsh", "ca\\u200bsh", "U+200B ZERO WIDTH SPACE"),
    ("\u0441ash", "\\u0441ash", "U+0441 CYRILLIC SMALL LETTER ES"),
])
def test_a_look_alike_key_is_shown_escaped_and_explained(capsys, tmp_path, key, shown, named):
    text = (PROFILES / "medical-partners.toml").read_text()
    path = tmp_path / "lookalike.toml"
    path.write_text(text.replace("cash = ", f'"{key}" = 1.0\ncash = ', 1))
    _, err = run(capsys, "validate", str(path))
    line = next(x for x in err.splitlines() if "unknown key" in x)
    assert f"unknown key '{shown}' in [funding]; did you mean 'cash'?" in line
    assert named in line and line.isascii()
    assert key_shown("cash") == "cash"


async def test_the_app_shows_a_file_name_escaped(tmp_path, monkeypatch, hostile):
    from gtmcompass.tui.app import CompassApp

    class Recording(CompassApp):
        """The app, keeping every toast's text."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.toasts: list[str] = []

        def notify(self, message, *args, **kwargs) -> None:
            self.toasts.append(str(message))
            super().notify(message, *args, **kwargs)

    monkeypatch.chdir(tmp_path)
    app = Recording(str(hostile["file"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.core_ready.wait()
        await pilot.pause()
        assert app.path == hostile["file"]
        # The title is what a terminal multiplexer takes for the pane's title.
        assert "\x1b" not in app.sub_title and "good\\x1b[2J.toml" in app.sub_title
        assert "\x1b" not in app.export_screenshot()
        # Opened from the app, the file's name is in a toast as well.
        assert await app.open_path(hostile["file"])
        await pilot.pause()
        assert app.toasts and all("\x1b" not in t for t in app.toasts), app.toasts
        assert any("good\\x1b[2J.toml" in t for t in app.toasts), app.toasts

"""What a browser tab's app process sets up before the app reads anything."""

from __future__ import annotations

import os
from pathlib import Path

from gtmcompass.io.confine import allowed
from gtmcompass.io.weights import weights_dir
from gtmcompass.vocab.settings import CONFINE_ENV, WEIGHTS_DIR_ENV
from gtmcompass.web.session import confine


def test_a_session_is_confined_to_its_folder_and_works_from_it(tmp_path, monkeypatch):
    folder = tmp_path / "profiles"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CONFINE_ENV, "")  # restored after the test, as confine() sets them
    monkeypatch.setenv(WEIGHTS_DIR_ENV, str(tmp_path / "elsewhere"))
    confine(Path("profiles"))
    assert Path(os.getcwd()) == folder.resolve()
    assert allowed("medical.toml") and not allowed("../medical.toml")
    # Weight sets saved in the browser stay in the folder, hidden from the profile picker.
    assert weights_dir() == folder.resolve() / ".weights"
    assert allowed(weights_dir() / "mine.toml")

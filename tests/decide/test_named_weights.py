"""Named weight sets kept in a folder, for the app's weights editor and the CLI."""

from __future__ import annotations

import numpy as np
import pytest

from gtmcompass.io.files import SaveError
from gtmcompass.io.weights import (
    WEIGHTS_DIR_ENV,
    WeightsError,
    WeightSet,
    list_weight_sets,
    load_named_weights,
    save_named_weights,
    weight_set_path,
    weights_dir,
)


def test_save_list_and_load_by_name(tmp_path):
    first = WeightSet("Cautious investor", {"runway": {"b_private": 20.0}}, "more cash")
    second = WeightSet("api-bull", {"differentiation": {"b_api": 30.0}})
    for ws in (first, second):
        save_named_weights(ws, tmp_path)
    (tmp_path / "broken.toml").write_text("[weights.nope]\nb_api = 1\n")
    listed = list_weight_sets(tmp_path)
    assert [e.path.name for e in listed] == ["api-bull.toml", "broken.toml",
                                             "cautious-investor.toml"]
    assert listed[1].weight_set is None and "nope" in listed[1].error
    loaded = load_named_weights("Cautious investor", tmp_path)
    assert loaded.name == "Cautious investor" and loaded.description == "more cash"
    assert np.array_equal(loaded.matrix(), first.matrix())
    with pytest.raises(WeightsError):
        load_named_weights("missing", tmp_path)


def test_a_name_cannot_leave_the_folder(tmp_path):
    path = weight_set_path("../../etc/passwd", tmp_path)
    assert path.parent == tmp_path


def test_the_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(WEIGHTS_DIR_ENV, str(tmp_path / "w"))
    assert weights_dir() == tmp_path / "w"
    monkeypatch.delenv(WEIGHTS_DIR_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert weights_dir() == tmp_path / "cfg" / "gtmcompass" / "weights"
    assert list_weight_sets() == []


def test_an_unwritable_folder_is_a_save_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SaveError):
        save_named_weights(WeightSet("x"), blocker / "sub")

"""Sentences meant for people never show the internal ids of plays and sides.

Every English and Chinese text in the package's data (messages, catalogue, levers, actions,
evidence) is read; an id may appear only as a ``{placeholder}`` that is filled with a number
or a translated name.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from gtmcompass.vocab.terms import PLAYS, SIDES

ID = re.compile(r"\b(" + "|".join(map(re.escape, (*PLAYS, *SIDES))) + r")\b")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
DATA = ("messages", "criteria", "levers", "actions", "evidence")


def texts(node, path=()):
    """(key path, text) of every ``en``/``zh`` string in a TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, (*path, str(i)))
    elif isinstance(node, str) and path and path[-1] in ("en", "zh"):
        yield ".".join(path), node


@pytest.mark.parametrize("name", DATA)
def test_no_internal_id_in_a_sentence(name):
    document = tomllib.loads(
        resources.files("gtmcompass.data").joinpath(f"{name}.toml").read_text("utf-8"))
    found = [(path, text) for path, text in texts(document)
             if ID.search(PLACEHOLDER.sub("", text))]
    assert not found, found[:5]


def test_the_check_sees_an_id():
    assert ID.search(PLACEHOLDER.sub("", "to_b = max(b_private, b_api)"))
    assert not ID.search(PLACEHOLDER.sub("", "To-B {to_b}   To-C {to_c}"))

"""Key bindings in the chosen language: footer descriptions and the help screen's table.

A binding's description is looked up as ``key.<action>`` in the i18n table. Textual keeps
each node's bindings in ``_bindings`` (a copy per instance) and offers no public way to
change a description, so this swaps in copies of the frozen Binding objects.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from gtmcompass.vocab.i18n import has, tr

_NAMES = {"question_mark": "?", "delete": "Del", "escape": "Esc", "enter": "Enter"}


def describe(binding: Binding, lang: str) -> str | None:
    key = f"key.{binding.action}"
    return tr(key, lang) if has(key) else None


def localize_bindings(node: DOMNode, lang: str) -> None:
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            dataclasses.replace(b, description=describe(b, lang) or b.description)
            if b.description else b
            for b in bindings
        ]


def key_name(key: str) -> str:
    """``ctrl+n`` stays as it is, ``f1`` becomes ``F1``, ``question_mark`` becomes ``?``."""
    parts = []
    for part in key.split(","):
        part = _NAMES.get(part, part)
        parts.append(part.upper() if part[:1] == "f" and part[1:].isdigit() else part)
    return " / ".join(parts)


def binding_rows(classes: list[type[DOMNode]], lang: str) -> list[tuple[str, str]]:
    """(keys, what they do) for every described binding of these classes, merged by action."""
    rows: dict[tuple[str, str], list[str]] = {}
    for cls in classes:
        for item in cls.BINDINGS:
            if not isinstance(item, Binding):
                continue
            long = f"cmd.{item.action}"
            text = tr(long, lang) if has(long) else describe(item, lang) or item.description
            if not text:
                continue
            rows.setdefault((cls.__name__, text), []).append(item.key)
    return [(key_name(",".join(keys)), text) for (_, text), keys in rows.items()]

"""Key bindings in the chosen language: footer descriptions and the help screen's table.

A binding's description is looked up as ``key.<action>`` in the i18n table when the footer
draws it: the footer (and Textual's key panel) read ``Screen.active_bindings``, and every
screen of the app mixes in ``TranslatedBindings``, which hands them translated copies of the
frozen Binding objects. The bindings the keys dispatch on stay as declared, so nothing has to
be rewritten when the language changes; ``refresh_bindings`` redraws the footer.
"""

from __future__ import annotations

import dataclasses

from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode

from gtmcompass.vocab.i18n import has, tr

_NAMES = {"question_mark": "?", "delete": "Del", "escape": "Esc", "enter": "Enter"}


def describe(binding: Binding, lang: str) -> str | None:
    key = f"key.{binding.action}"
    return tr(key, lang) if has(key) else None


def translated(binding: Binding, lang: str) -> Binding:
    """``binding`` with its description in ``lang``; undescribed (hidden) ones stay as they are."""
    if not binding.description:
        return binding
    text = describe(binding, lang)
    return binding if text is None or text == binding.description else dataclasses.replace(
        binding, description=text)


class TranslatedBindings:
    """Mixed into a Screen: what the footer shows of its bindings is in the app's language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        app = self.app  # type: ignore[attr-defined]
        lang = getattr(app, "lang", None) or getattr(self, "lang", "en")
        return {key: ActiveBinding(item.node, translated(item.binding, lang), item.enabled,
                                   item.tooltip)
                for key, item in active.items()}


def key_name(key: str) -> str:
    """``ctrl+n`` stays as it is, ``f1`` becomes ``F1``, ``question_mark`` becomes ``?``."""
    parts = []
    for part in key.split(","):
        part = _NAMES.get(part, part)
        parts.append(part.upper() if part[:1] == "f" and part[1:].isdigit() else part)
    return " / ".join(parts)


def binding_rows(classes: list[type[DOMNode]], lang: str) -> list[tuple[str, str]]:
    """(keys, what they do) for every described binding of these classes, merged by action."""
    rows: dict[str, list[str]] = {}
    for cls in classes:
        for item in cls.BINDINGS:
            if not isinstance(item, Binding):
                continue
            long = f"cmd.{item.action}"
            text = tr(long, lang) if has(long) else describe(item, lang) or item.description
            if not text:
                continue
            rows.setdefault(text, []).append(item.key)
    return [(key_name(",".join(keys)), text) for text, keys in rows.items()]


def binding_sections(sections: list[tuple[str, list[type[DOMNode]]]],
                     lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, rows) per place in the app: ``sections`` names each by its i18n key."""
    return [(tr(key, lang), binding_rows(classes, lang)) for key, classes in sections]

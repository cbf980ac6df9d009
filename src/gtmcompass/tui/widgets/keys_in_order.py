"""Text boxes that apply every key in the order it was typed.

Textual 8.2.8 inserts a printable key in the focused widget's own handler, but runs the
widget's key bindings (Backspace, Delete, arrows, Home/End, ctrl+k, ...) only after the key
has bubbled up to the app through each ancestor's message queue. Characters typed meanwhile
are inserted first: sent as one burst, ``End``, four ``Backspace`` and ``90`` into a box
holding "1200" left it empty, the digits inserted before the deletions (a bare Textual
``Input`` does the same). Upstream: Textualize/textual#6605, with the same fix proposed in
#6631 (run the widget's own bindings where the key arrives); drop these classes once a
Textual release has it.

Keys that move focus or open a screen are the app's (``tui.app``): they are priority
bindings there, handled before the next key is passed on, so a key typed after Tab goes to
the next box.
"""

from __future__ import annotations

import functools

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def own_bindings(cls: type) -> dict[str, list[Binding]]:
    """Key -> the non-priority bindings a widget class declares (its own and inherited)."""
    out: dict[str, list[Binding]] = {}
    for klass in reversed(cls.__mro__):
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
            if not binding.priority:
                out.setdefault(binding.key, []).insert(0, binding)
    return out


class KeysInOrder:
    """Mixed into a text widget: its own bindings run as their key arrives."""

    async def on_key(self, event: events.Key) -> None:
        for binding in own_bindings(type(self)).get(event.key, ()):
            if await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return


class OrderedInput(KeysInOrder, Input):
    """An ``Input`` whose editing keys keep their place among typed characters."""

    @property
    def content_width(self) -> int:
        """At least the box's own width.

        Textual sets the box's virtual size from this on every change of value, and a new
        virtual size lays the whole screen out again: with the text's length it was new on
        every keystroke, about 35 ms of layout for the form's 120 widgets. Text shorter than
        the box needs no scrolling, so the width stays put until the text outgrows it.
        """
        return max(super().content_width, self.content_size.width)


@functools.cache
def ordered_text_area() -> type:
    """A ``TextArea`` whose editing keys keep their place among typed characters.

    Built on first use: ``TextArea`` costs about 9 ms of imports, paid after the first frame.
    """
    from textual.widgets import TextArea

    class OrderedTextArea(KeysInOrder, TextArea):
        pass

    return OrderedTextArea

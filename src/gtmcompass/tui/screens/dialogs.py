"""Small modal dialogs: a question with buttons, a list of problems, a path to save to."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from gtmcompass.tui.keys import TranslatedBindings
from gtmcompass.tui.messages import LanguageChanged
from gtmcompass.tui.widgets.keys_in_order import OrderedInput
from gtmcompass.vocab.i18n import tr

R = TypeVar("R")


class DismissOnce:
    """A screen whose ``dismiss`` does nothing unless it is the screen on top.

    Two Enters in quick succession (key repeat, a fast double press) post two Submitted or
    Pressed messages; the second reached a dialog the first had already closed, and Textual's
    ``dismiss`` then popped whatever screen was on top: the editor itself, which raised
    ScreenStackError and ended the app (found by tests/hardening/test_app_abuse.py).
    """

    def dismiss(self, result=None):  # type: ignore[no-untyped-def]
        if not self.is_mounted:  # type: ignore[attr-defined]
            # Escape typed before the screen's widgets exist (F9 then Escape, bunched by the
            # terminal) removed it half-composed: its Header, Selects and the screen's own
            # on_mount then looked for children that were never mounted, and NoMatches ended
            # the app. A callback queued on the screen runs after its Mount, so it closes then.
            def close_when_mounted() -> None:
                # Not returned: an awaited dismiss from the screen's own handler raises.
                self.dismiss(result)

            self.call_later(close_when_mounted)  # type: ignore[attr-defined]
            return AwaitComplete()
        if self is not self.app.screen:  # type: ignore[attr-defined]
            return AwaitComplete()
        return super().dismiss(result)  # type: ignore[misc]


class LiveScreen(DismissOnce):
    """A screen that redraws for the app's news only while it is mounted and on the stack.

    A message posted to a screen is still handled after the screen has left the stack (an
    Escape right behind F4): its widgets are then being removed, and the language switch
    looked them up and ended the app (``NoMatches``, ``KeyError`` on a table column). Nothing
    is missed by skipping: a screen off the stack never returns (each F-key opens a new one),
    and messages reach a screen only after its Mount, so one that is live sees every change.
    """

    @property
    def is_live(self) -> bool:
        """Mounted, and neither removed nor being removed from the app's screen stack."""
        return self.is_mounted and self in self.app.screen_stack  # type: ignore[attr-defined]

    def apply_language(self, lang: str) -> None:
        """Put the screen's own words into ``lang``; a screen without any keeps this."""

    def on_language_changed(self, event: LanguageChanged) -> None:
        if self.is_live:
            self.apply_language(event.lang)


class DialogScreen(TranslatedBindings, DismissOnce, ModalScreen[R]):
    """A box in the middle of a dimmed screen. Its CSS is parsed the first time a dialog
    opens, not before the app's first frame."""

    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
        background: $background 60%;
    }
    DialogScreen .dialog-box {
        width: 76;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
        padding: 1 2;
    }
    DialogScreen .dialog-message {
        height: auto;
        margin-bottom: 1;
    }
    DialogScreen .dialog-buttons {
        height: auto;
        align-horizontal: right;
    }
    DialogScreen .dialog-buttons Button {
        margin-left: 2;
    }
    DialogScreen .dialog-help {
        color: $text-muted;
        margin-top: 1;
    }
    DialogScreen .error-box {
        width: 96;
    }
    DialogScreen .error-lines {
        height: auto;
        max-height: 20;
        margin-bottom: 1;
    }
    DialogScreen #error-text {
        color: $text-error;
    }
    DialogScreen .error-box, DialogScreen .dialog-box {
        max-width: 100%;
    }
    """

    def titled_box(self, title: str, classes: str = "dialog-box") -> Vertical:
        """The dialog's bordered box, ``title`` in its border shown as typed (border titles
        are parsed as markup, so "[/]" in a file name would break it)."""
        box = Vertical(classes=classes)
        box.border_title = escape(title)
        return box


class ConfirmScreen(DialogScreen[str]):
    """A question; dismissed with the chosen button's id, or the last one's on Escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, message: str, choices: list[tuple[str, str]], lang: str,
                 default: int = 0) -> None:
        super().__init__()
        self.message = message
        self.choices = choices  # (result id, label); the last one is what Escape picks
        self.lang = lang
        self.default = default

    def compose(self) -> ComposeResult:
        with self.titled_box(tr("confirm.title", self.lang)):
            # Messages name files and profiles: text, never markup ("[/]" in a path crashed).
            yield Static(self.message, markup=False, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for i, (result, label) in enumerate(self.choices):
                    variant = "primary" if i == self.default else "default"
                    yield Button(label, id=f"b-{result}", variant=variant)

    def on_mount(self) -> None:
        self.query_one(f"#b-{self.choices[self.default][0]}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id).removeprefix("b-"))

    def action_cancel(self) -> None:
        self.dismiss(self.choices[-1][0])


class ErrorScreen(DialogScreen[None]):
    """What went wrong, one problem a line; Enter or Escape closes it."""

    BINDINGS = [Binding("escape,enter", "close", "Close", show=False)]

    def __init__(self, title: str, lines: list[str], lang: str) -> None:
        super().__init__()
        self.title_text, self.lines, self.lang = title, lines, lang

    def compose(self) -> ComposeResult:
        with self.titled_box(self.title_text, "dialog-box error-box"):
            with VerticalScroll(classes="error-lines"):
                yield Static("\n".join(self.lines), markup=False, id="error-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr("button.close", self.lang), id="b-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#b-close", Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class TextPrompt(DialogScreen["str | None"]):
    """One line of text, prefilled; Enter accepts a non-blank value, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, default: str, help_text: str, input_id: str,
                 max_length: int = 0) -> None:
        super().__init__()
        self.title_text, self.default_text, self.help_text = title, default, help_text
        self.input_id, self.max_length = input_id, max_length

    def compose(self) -> ComposeResult:
        with self.titled_box(self.title_text):
            yield OrderedInput(self.default_text, id=self.input_id, max_length=self.max_length)
            yield Label(self.help_text, classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(f"#{self.input_id}", Input).focus()

    def convert(self, text: str) -> object:
        return text

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(self.convert(text))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PathPrompt(TextPrompt):
    """A path to write to, prefilled with a sensible default."""

    def __init__(self, title: str, default: Path, lang: str) -> None:
        super().__init__(title, str(default), tr("files.path_prompt_help", lang), "path-input")

    def convert(self, text: str) -> Path:
        return Path(text).expanduser()

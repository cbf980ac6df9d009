"""The file picker: a tree of folders and profile files, plus a box to type any path.

In ``open`` mode the first file chosen closes it. In ``add`` mode (Compare) every file
chosen is collected, ctrl+l adds the highlighted folder (every profile below it) and
Escape closes with the collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DirectoryTree, Input, Label

from gtmcompass.io.confine import allowed
from gtmcompass.tui.screens.dialogs import DialogScreen
from gtmcompass.tui.widgets.keys_in_order import OrderedInput
from gtmcompass.vocab.escape import terminal_safe
from gtmcompass.vocab.i18n import tr

Mode = Literal["open", "add"]


class ProfileTree(DirectoryTree):
    """Folders and ``.toml`` files; hidden entries left out, as the batch loader does, and in
    a browser session every entry whose link leads out of its folder (io/confine.py)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.suffix == ".toml" or _is_dir(p)) and allowed(p)]


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


class FilePicker(DialogScreen[list[Path]]):
    DEFAULT_CSS = """
    FilePicker .picker-box {
        height: 32;
    }
    FilePicker #tree {
        height: 1fr;
        margin-bottom: 1;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+l", "add_folder", "Add folder"),
    ]

    def __init__(self, mode: Mode, start: Path, lang: str) -> None:
        super().__init__()
        self.mode = mode
        self.start = start if _is_dir(start) and allowed(start) else Path(".")
        self.lang = lang
        self.chosen: list[Path] = []

    def compose(self) -> ComposeResult:
        with self.titled_box(tr("files.open_title" if self.mode == "open" else "files.add_title",
                                self.lang), "dialog-box picker-box"):
            yield ProfileTree(self.start, id="tree")
            hint = "files.path_hint" if self.mode == "open" else "files.add_path_hint"
            yield OrderedInput(placeholder=tr(hint, self.lang), id="picker-path")
            help_key = "files.picker_help" if self.mode == "open" else "files.add_help"
            yield Label(tr(help_key, self.lang), id="picker-help", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#tree", ProfileTree).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_folder":
            return self.mode == "add"
        return True

    def _refused(self, path: Path) -> bool:
        """True (and said in the help line) for a path a browser session may not use."""
        if allowed(path):
            return False
        # Content, not markup: a typed path holding "[/]" would raise MarkupError.
        self.query_one("#picker-help", Label).update(
            Content(tr("files.outside", self.lang, path=terminal_safe(str(path)))))
        return True

    def _take(self, path: Path) -> None:
        if self._refused(path):
            return
        if self.mode == "open":
            self.dismiss([path])
            return
        if path not in self.chosen:
            self.chosen.append(path)
        self.query_one("#picker-help", Label).update(
            tr("files.added", self.lang, n=len(self.chosen)) + " · "
            + tr("files.add_help", self.lang))

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._take(event.path)

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        self._submit(event.input)

    def _submit(self, box: Input) -> None:
        text = box.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if self._refused(path):
            box.value = ""
            return
        if _is_dir(path) and self.mode == "open":
            # A folder typed in open mode re-roots the tree there, to pick from it.
            self.query_one("#tree", ProfileTree).path = path
            self.query_one("#tree", ProfileTree).focus()
        else:
            self._take(path)
        box.value = ""

    def on_key(self, event: events.Key) -> None:
        """Typing while the tree has focus writes in the path box the dialog asks for.

        The tree keeps focus, so every key still arrives by the same way and in order; Enter
        takes the typed path once there is one, Backspace corrects it.
        """
        box = self.query_one("#picker-path", Input)
        if self.focused is box:
            return
        if event.is_printable and event.character:
            box.insert_text_at_cursor(event.character)
        elif event.key == "backspace" and box.value:
            box.action_delete_left()
        elif event.key == "enter" and box.value.strip():
            self._submit(box)
        else:
            return
        event.stop()
        event.prevent_default()

    def action_add_folder(self) -> None:
        """The highlighted folder, the folder of a highlighted file, or the tree's root."""
        tree = self.query_one("#tree", ProfileTree)
        node = tree.cursor_node or tree.root
        if node.data is None:
            return
        path = node.data.path
        self._take(path if _is_dir(path) else path.parent)

    def action_close(self) -> None:
        self.dismiss(self.chosen)

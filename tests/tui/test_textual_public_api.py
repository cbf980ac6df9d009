"""The app uses Textual only through its public names.

Textual renames and removes its private attributes between minor releases without notice
(``_bindings``, ``_action_command_list``), so code that reaches into them breaks on an
upgrade, or silently stops working. This test reads every module of ``gtmcompass.tui`` with
``ast`` and fails on:

* an attribute with a single leading underscore that Textual's classes define (class
  attributes found with ``dir()``, and attributes their methods set on ``self``), used or
  overridden inside one of our classes deriving from them (App, Screen, Widget, ...);
* the same names reached outside such classes (``node._bindings`` in a helper function);
* any import of a private Textual module or name (``from textual.widgets._footer import``).

Our own private attributes are fine, unless their name is one Textual already uses on the
class: that shadows Textual's state and is reported too.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import textwrap
from pathlib import Path

import pytest

import gtmcompass.tui

TUI = Path(gtmcompass.tui.__file__).parent


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def from_textual(cls: type) -> bool:
    return cls.__module__ == "textual" or cls.__module__.startswith("textual.")


@functools.cache
def assigned_on_self(cls: type) -> frozenset[str]:
    """Private attributes the methods of ``cls`` (its own source only) assign on ``self``."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset()
    names = set()
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name) and node.value.id == "self"
                and private(node.attr)):
            names.add(node.attr)
    return frozenset(names)


@functools.cache
def textual_private(cls: type) -> frozenset[str]:
    """Single-underscore names defined by the Textual classes among ``cls``'s ancestors."""
    names: set[str] = set()
    for base in cls.__mro__:
        if from_textual(base):
            names |= {n for n in dir(base) if private(n)}
            names |= assigned_on_self(base)
    return frozenset(names)


def core_classes() -> tuple[type, ...]:
    from textual.app import App
    from textual.screen import ModalScreen, Screen
    from textual.widget import Widget

    return (App, Screen, ModalScreen, Widget)


def _private_import(module: str | None, names: list[str]) -> bool:
    if not module or not (module == "textual" or module.startswith("textual.")):
        return False
    return any(private(part) for part in module.split(".")) or any(map(private, names))


def _namespace(tree: ast.Module, module_globals: dict) -> dict:
    """The module's globals plus every name imported anywhere in it (imports inside
    functions included), so a class defined in a function resolves its bases too."""
    namespace = dict(module_globals)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            try:
                imported = importlib.import_module(node.module)
            except ImportError:
                continue
            for alias in node.names:
                if hasattr(imported, alias.name):
                    namespace[alias.asname or alias.name] = getattr(imported, alias.name)
    return namespace


def _resolve(expr: ast.expr, namespace: dict) -> object:
    if isinstance(expr, ast.Subscript):  # Screen[None], DialogScreen[str]
        return _resolve(expr.value, namespace)
    if isinstance(expr, ast.Name):
        return namespace.get(expr.id)
    if isinstance(expr, ast.Attribute):
        owner = _resolve(expr.value, namespace)
        return getattr(owner, expr.attr, None) if owner is not None else None
    return None


def _textual_ancestors_private(cls_node: ast.ClassDef, namespace: dict,
                               defined: dict[str, frozenset[str]]) -> frozenset[str]:
    names: set[str] = set()
    for base in cls_node.bases:
        if isinstance(base, ast.Name) and base.id in defined:  # a class of this module
            names |= defined[base.id]
            continue
        resolved = _resolve(base, namespace)
        if isinstance(resolved, type):
            names |= textual_private(resolved)
    return frozenset(names)


def violations(source: str, module_globals: dict, label: str = "<source>") -> list[str]:
    """Every use of a private Textual name in ``source``, as "label:line: what"."""
    tree = ast.parse(source)
    namespace = _namespace(tree, module_globals)
    found: list[str] = []

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _private_import(
                node.module, [a.name for a in node.names]):
            found.append(f"{label}:{node.lineno}: imports a private Textual name from "
                         f"{node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _private_import(alias.name, []):
                    found.append(f"{label}:{node.lineno}: imports {alias.name}")

    defined: dict[str, frozenset[str]] = {}
    classes: list[tuple[ast.ClassDef, frozenset[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names = _textual_ancestors_private(node, namespace, defined)
            defined[node.name] = names
            classes.append((node, names))
    # Outside those classes, code holds Textual objects passed in (``node: DOMNode``): the
    # names private to the app's building blocks, to every Textual class the module imports
    # and to those its classes derive from are all off limits.
    everywhere = frozenset().union(
        *(names for _, names in classes),
        *(textual_private(v) for v in namespace.values()
          if isinstance(v, type) and from_textual(v)),
        *(textual_private(c) for c in core_classes()))

    inside: set[int] = set()
    for cls_node, names in classes:
        if not names:
            continue
        for item in cls_node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in names:
                found.append(f"{label}:{item.lineno}: {cls_node.name} overrides Textual's "
                             f"private {item.name}")
            if isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in names:
                        found.append(f"{label}:{item.lineno}: {cls_node.name} sets Textual's "
                                     f"private {target.id}")
        for sub in ast.walk(cls_node):
            if isinstance(sub, ast.Attribute):
                inside.add(id(sub))
                if sub.attr in names:
                    found.append(f"{label}:{sub.lineno}: {cls_node.name} uses Textual's "
                                 f"private {sub.attr}")

    plain = {id(n) for c, names in classes if not names for n in ast.walk(c)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and id(node) not in inside
                and node.attr in everywhere):
            # A class of our own that owns the name keeps it: only Textual's objects count.
            own = (id(node) in plain and isinstance(node.value, ast.Name)
                   and node.value.id == "self")
            if not own:
                found.append(f"{label}:{node.lineno}: uses Textual's private {node.attr}")
    return sorted(set(found))


def tui_modules() -> list[Path]:
    return sorted(TUI.rglob("*.py"))


@pytest.mark.parametrize("path", tui_modules(), ids=lambda p: str(p.relative_to(TUI)))
def test_no_private_textual_names(path: Path):
    module_name = "gtmcompass.tui." + ".".join(path.relative_to(TUI).with_suffix("").parts)
    module_name = module_name.removesuffix(".__init__")
    module = importlib.import_module(module_name)
    found = violations(path.read_text(encoding="utf-8"), vars(module), str(path.name))
    assert found == [], "\n".join(found)


def test_the_names_come_from_textual():
    """The sets the check relies on hold what Textual really keeps private."""
    from textual.app import App
    from textual.command import CommandPalette
    from textual.widget import Widget

    assert "_bindings" in textual_private(Widget)  # set in DOMNode.__init__
    assert "_action_command_list" in textual_private(CommandPalette)
    assert "_compose" in textual_private(App) or "_process_messages" in textual_private(App)


def test_the_check_catches_what_the_app_used_to_do():
    """The two patterns this test was written for, and a private import, are reported."""
    source = textwrap.dedent('''
        from textual.command import CommandPalette
        from textual.dom import DOMNode
        from textual.widgets._footer import FooterKey

        def localize(node: DOMNode) -> None:
            table = node._bindings.key_to_bindings

        def palette():
            class Palette(CommandPalette):
                def _action_command_list(self, action):
                    super()._action_command_list(action)
            return Palette
    ''')
    found = violations(source, {})
    assert any("textual.widgets._footer" in f for f in found)
    assert any("private _bindings" in f for f in found)
    assert any("overrides Textual's private _action_command_list" in f for f in found)


def test_our_own_private_names_pass():
    source = textwrap.dedent('''
        from textual.widget import Widget

        class Panel(Widget):
            def __init__(self):
                super().__init__()
                self._rows_shown = 0

            def _render_rows(self):
                return self._rows_shown

        class Plain:
            def __init__(self):
                self._bindings = {}  # not a Textual object: its own name
    ''')
    assert violations(source, {}) == []

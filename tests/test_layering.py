"""The documented import direction (docs/architecture.md), read from the source by an AST walk.

Every import counts, wherever it sits in a file (module top or a function body), and so does a string
that names one of our modules (``importlib.import_module("...")``, a ``"module:Class"`` table); only
imports for type checkers (under ``if TYPE_CHECKING:``) do not, since they never run:
- ``jamcore.music`` imports nothing of ours (``jamcore.errors`` aside: a leaf with no imports);
- ``jamcore.tokens`` imports only ``jamcore.music``;
- ``jamcore`` never imports ``bridge`` (``jamcore.cli`` aside: the entry point names every command's module);
- no import cycle between modules (the entry point's table of command modules, strings it imports on
  demand, is the root of the tree, not part of it: ``ableton.install`` may name ``jamcore.cli`` as the
  command the device runs).
"""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("jamcore", "bridge", "ableton", "max_patches")
LEAF = "jamcore.errors"
ENTRY_POINT = "jamcore.cli"
_NAME = re.compile(r"^((?:jamcore|bridge|ableton|max_patches)(?:\.\w+)+)(?::\w+)?$")


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for every .py file of our packages under ``root``."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module a dotted name refers to (``jamcore.tokens.PAD`` -> ``jamcore.tokens``), if ours."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(name: str, path: Path, known: dict[str, Path], strings: bool = True) -> set[str]:
    """Our modules that ``name`` imports, anywhere in the file, string imports included (``strings``)."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test) for stmt in block.body for n in ast.walk(stmt)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        elif strings and isinstance(node, ast.Constant) and isinstance(node.value, str):
            m = _NAME.match(node.value)
            if m:
                targets = [m.group(1)]
        for t in targets:
            r = _resolve(t, known)
            if r is not None and r != name:
                found.add(r)
    return found


def graph(root: Path, entry_strings: bool = True) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known, strings=entry_strings or name != ENTRY_POINT)
            for name, path in known.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan), as sorted name lists."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def violations(g: dict[str, set[str]], root: Path = ROOT) -> list[str]:
    """Arrows pointing the wrong way, and cycles (the entry point's command table left out of those)."""
    bad = []
    for src, dsts in sorted(g.items()):
        for dst in sorted(dsts):
            if dst == LEAF:
                continue
            if src.startswith("jamcore.music") and not dst.startswith("jamcore.music"):
                bad.append(f"{src} -> {dst}: jamcore.music imports nothing of ours")
            if src == "jamcore.tokens" and not dst.startswith("jamcore.music"):
                bad.append(f"{src} -> {dst}: jamcore.tokens imports only jamcore.music")
            if src.startswith("jamcore") and src != ENTRY_POINT and dst.startswith("bridge"):
                bad.append(f"{src} -> {dst}: jamcore never imports bridge")
    bad += [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph(root, entry_strings=False))]
    return bad


def test_the_tree_imports_one_way_without_cycles():
    assert violations(graph(ROOT)) == []


def test_the_walk_sees_function_level_and_string_imports():
    g = graph(ROOT)
    assert "jamcore.tokens" in g["jamcore.stream"]
    assert "bridge.daemon" in g["jamcore.cli"]  # only named in the command table, as a string


def _copy(tmp_path: Path) -> Path:
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("*.safetensors", "*.json", "*.amxd",
                                                                                  "*.png", "*.mid", "*.pd"))
    return tmp_path


def test_a_planted_cycle_fails(tmp_path):
    root = _copy(tmp_path)
    loop = root / "jamcore" / "train" / "loop.py"
    loop.write_text(loop.read_text() + "\n\ndef _late():\n    from jamcore.train import rl  # noqa\n")
    bad = violations(graph(root), root)
    assert any("cycle" in b and "jamcore.train.loop" in b and "jamcore.train.rl" in b for b in bad), bad


def test_planted_wrong_arrows_fail(tmp_path):
    root = _copy(tmp_path)
    stream = root / "jamcore" / "stream.py"
    stream.write_text(stream.read_text() + '\n\nSESSION = "bridge.session:Session"\n')
    time = root / "jamcore" / "music" / "time.py"
    time.write_text(time.read_text() + "\n\ndef _late():\n    import jamcore.tokens  # noqa\n")
    bad = violations(graph(root), root)
    assert any("jamcore.stream -> bridge.session" in b for b in bad), bad
    assert any("jamcore.music.time -> jamcore.tokens" in b for b in bad), bad

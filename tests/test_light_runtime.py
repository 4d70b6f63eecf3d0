"""The live runtime without the extras: commands run in a Python where torch, music21, matplotlib and tqdm
cannot be imported (as after `pip install jamcore`), play the same chords as with torch, and the
commands that need an extra say which one. (tests/test_wheel.py does the same from a built wheel.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MELODY = ROOT / "jamcore" / "assets" / "demo_melody.mid"
EXTRAS = ("torch", "music21", "matplotlib", "tqdm")

# Makes the extras' modules absent the way a missing package is: import raises ModuleNotFoundError.
ABSENT = """
import runpy, sys
class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {names!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Absent())
sys.argv = {argv!r}
{run}
"""


def run_without_extras(argv: list[str], run: str, cwd: Path) -> subprocess.CompletedProcess:
    code = ABSENT.format(names=set(EXTRAS), argv=argv, run=run)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


def jamcore_without_extras(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return run_without_extras(["jamcore", *args], 'runpy.run_module("jamcore.cli", run_name="__main__")', cwd)


def test_the_daemons_chords_are_the_same_without_torch(tmp_path):
    from session_chords import session_chords

    with_torch = session_chords()
    out = run_without_extras(["session_chords.py"], f'runpy.run_path({str(ROOT / "tests" / "session_chords.py")!r}, '
                             'run_name="__main__")', tmp_path)
    assert out.returncode == 0, out.stderr
    without = json.loads(out.stdout)
    assert len(with_torch) > 5 and any(c[2] for c in with_torch)  # real chords, not only silence
    assert without == [list(c) for c in json.loads(json.dumps(with_torch))]


def test_harmonize_without_the_extras_writes_the_same_chords(tmp_path):
    from jamcore.cli import main

    assert main(["harmonize", str(MELODY), "--out", str(tmp_path / "a.mid"), "--json", str(tmp_path / "a.json")]) == 0
    out = jamcore_without_extras(["harmonize", str(MELODY), "--out", "b.mid", "--json", "b.json"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "note-in-chord" in out.stdout
    assert json.loads((tmp_path / "b.json").read_text()) == json.loads((tmp_path / "a.json").read_text())
    assert (tmp_path / "b.mid").read_bytes() == (tmp_path / "a.mid").read_bytes()


def test_checkpoints_and_install_device_run_without_the_extras(tmp_path):
    out = jamcore_without_extras(["checkpoints"], tmp_path)
    assert out.returncode == 0 and "gapt-1.0" in out.stdout, out.stderr
    out = jamcore_without_extras(["install-device", "--dest", str(tmp_path / "lib"), "--dry-run"], tmp_path)
    assert out.returncode == 0 and "would copy (installed)" in out.stdout, out.stderr


@pytest.mark.parametrize("command, missing, extra", [
    (["train", "mle"], "torch, tqdm, matplotlib", "train"), (["data", "build"], "torch, tqdm, matplotlib", "train"),
    (["bench"], "torch, tqdm, matplotlib", "train"), (["eval"], "torch, tqdm, matplotlib, music21", "eval"),
])
def test_a_command_that_needs_an_extra_names_it_in_one_line(tmp_path, command, missing, extra):
    out = jamcore_without_extras(command, tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        f"jamcore: error: this command needs {missing}, which the live runtime leaves out: pip install 'jamcore[{extra}]'"]


def test_musicxml_without_music21_names_the_extra(tmp_path):
    score = tmp_path / "tune.musicxml"
    score.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list><score-part id="P1">'
        '<part-name>M</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes>'
        '<divisions>1</divisions></attributes><note><pitch><step>C</step><octave>4</octave></pitch>'
        '<duration>4</duration></note></measure></part></score-partwise>\n')
    out = jamcore_without_extras(["harmonize", str(score), "--out", "x.mid"], tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "jamcore: error: this command needs music21, which the live runtime leaves out: pip install 'jamcore[eval]'"]

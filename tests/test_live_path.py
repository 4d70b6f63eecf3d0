"""The live path runs without torch, music21 or matplotlib: `serve`, `demo`, `harmonize` on MIDI,
`checkpoints` and `install-device` work in a process where importing them fails, as on a performer's
machine with only the base install; a command that needs an extra says which one, in one line."""
import json
import subprocess
import sys
from pathlib import Path

from bridge import protocol as P
from bridge.client import JamClient
from bridge.testing import tiny_checkpoints

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "jamcore" / "assets" / "demo_melody.mid"
# A meta-path finder that refuses the heavy packages, then the console script's entry point.
BLOCKED = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "music21", "matplotlib"):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
sys.meta_path.insert(0, Refuse())
from jamcore.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "music21", "matplotlib"))
assert not heavy, heavy
sys.exit(code)
"""


def blocked(*args, **kw):
    return subprocess.Popen([sys.executable, "-c", BLOCKED, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kw)


def run_blocked(*args, timeout=120):
    proc = blocked(*args)
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out


def test_harmonize_a_midi_file_and_list_checkpoints_without_torch(tmp_path):
    rc, out = run_blocked("harmonize", DEMO, "--out", tmp_path / "h.mid", "--json", tmp_path / "h.json")
    assert rc == 0, out
    assert json.loads((tmp_path / "h.json").read_text())  # chords were played
    rc, out = run_blocked("checkpoints")
    assert rc == 0 and "gapt-1.0" in out, out
    rc, out = run_blocked("install-device", "--help")
    assert rc == 0 and "usage" in out, out


def test_serve_plays_chords_and_demo_runs_without_torch(tmp_path):
    tiny_checkpoints(tmp_path)
    with JamClient(port=0) as probe:
        port = probe.reply_port  # a free UDP port on 127.0.0.1
    proc = blocked("serve", "--port", port, "--checkpoint", "tiny", "--checkpoint-dir", tmp_path)
    try:
        with JamClient(port=port) as c:
            for _ in range(200):
                c.send(P.HELLO.path, c.reply_port)
                try:
                    c.wait_for(P.READY.path, timeout=0.05)
                    break
                except TimeoutError:
                    continue
            c.transport(True, 0.0, 480.0)
            c.note(62, 100, 0.0)
            assert c.wait_for(P.CHORD.path, timeout=5)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0, out
    rc, out = run_blocked("demo", "--out-dir", tmp_path / "demo", "--no-wav", "--bpm", 400)
    assert rc == 0 and (tmp_path / "demo" / "demo.mid").is_file(), out


def test_a_training_command_names_the_extra_it_needs():
    rc, out = run_blocked("train", "mle", "--profile", "smoke")
    assert rc == 2, out
    assert out.strip().splitlines() == ["jamcore: error: this command needs torch, matplotlib, which the live runtime "
                                        "leaves out: pip install 'jamcore[train]'"]

"""The Max for Live patch: generated from bridge/protocol.py, well-formed as Max would load it, and wired
to do what the device promises (pass-through, notes and transport out, chords in, played on frames)."""
import copy
import json
from collections import defaultdict
from pathlib import Path

import pytest

from bridge import protocol as P
from jamcore.music.grid import DEFAULT_GRID, GRIDS
from max_patches import generate
from max_patches.objects import counts_for
from max_patches.validate import problems

ROOT = Path(__file__).resolve().parent.parent
MAXPAT = ROOT / "max_patches" / "jam_bridge.maxpat"


@pytest.fixture(scope="module")
def patch():
    return json.loads(MAXPAT.read_text(encoding="utf-8"))


class Graph:
    def __init__(self, patch):
        self.boxes = {b["box"]["id"]: b["box"] for b in patch["patcher"]["boxes"]}
        self.out = defaultdict(list)  # (id, outlet) -> [(id, inlet)]
        for line in patch["patcher"]["lines"]:
            (s, o), (d, i) = line["patchline"]["source"], line["patchline"]["destination"]
            self.out[(s, o)].append((d, i))

    def find(self, pred):
        found = [i for i, b in self.boxes.items() if pred(b)]
        assert found, "no such box"
        return found

    def text(self, text):
        return self.find(lambda b: b.get("text") == text)

    def ui(self, longname):
        return self.find(lambda b: b.get("saved_attribute_attributes", {}).get("valueof", {})
                         .get("parameter_longname") == longname)[0]

    def reaches(self, start, outlet, goal, inlet=None):
        """Is there a path of patchlines from (start, outlet) to goal (optionally to that inlet)?"""
        seen, todo = set(), [(start, outlet)]
        while todo:
            node = todo.pop()
            for d, i in self.out[node]:
                if d == goal and (inlet is None or i == inlet):
                    return True
                if d not in seen:
                    seen.add(d)
                    todo += [(d, o) for o in range(self.boxes[d]["numoutlets"])]
        return False


def test_committed_patches_equal_the_generated_ones():
    for path, text in generate.outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run python -m max_patches.generate"
    assert generate.main(["--check"]) == 0


def test_generated_patch_is_valid_and_a_midi_device_view(patch):
    assert problems(patch) == []
    p = patch["patcher"]
    assert p["openinpresentation"] == 1 and p["openrect"][3] == 169
    assert {k for k in ("boxes", "lines", "fileversion", "appversion", "classnamespace")} <= set(p)
    for b in p["boxes"]:
        box = b["box"]
        assert {"id", "maxclass", "numinlets", "numoutlets", "patching_rect"} <= set(box)
        if box["maxclass"] in ("newobj", "message", "comment"):
            assert box["text"]
    # Every parameter is listed for Live, with the long and short names the boxes carry.
    params = {i: v[0] for i, v in p["parameters"].items()}
    assert set(params.values()) == {"Checkpoint", "Blend", "Temperature", "Lookahead", "Recall", "Output",
                                    "Voicing", "Grid", "Chord channel", "Thru", "Reset", "Port", "Secret"}
    # The secret is text saved with the set, never automated (a blob parameter, stored only).
    secret = next(b["box"] for b in p["boxes"] if b["box"].get("varname") == "secret")
    assert secret["maxclass"] == "textedit" and secret["parameter_enable"] == 1
    assert secret["saved_attribute_attributes"]["valueof"]["parameter_type"] == 3
    assert secret["saved_attribute_attributes"]["valueof"]["parameter_invisible"] == 1
    # The link light is a display: not a parameter (not automatable, not saved with the set).
    light = next(b["box"] for b in p["boxes"] if b["box"].get("varname") == "link")
    assert light["parameter_enable"] == 0


@pytest.mark.parametrize("break_it, complaint", [
    (lambda p: p["boxes"][1]["box"].update(id=p["boxes"][0]["box"]["id"]), "duplicate id"),
    (lambda p: p["lines"][0]["patchline"]["source"].__setitem__(1, 9), "outlet 9"),
    (lambda p: p["lines"][0]["patchline"]["destination"].__setitem__(1, 5), "inlet 5"),
    (lambda p: p["lines"].append({"patchline": {"source": ["obj-999", 0], "destination": ["obj-1", 0]}}),
     "missing box"),
    (lambda p: _box(p, "live.observer is_playing").update(numinlets=1, numoutlets=1), "Max has 2/2"),
    (lambda p: _box(p, "midiparse").update(outlettype=["int"] * 8), "Max has 1/8"),
    (lambda p: _box(p, "midiin").update(text="borax"), "not in the table"),
    (lambda p: _box(p, f"prepend {P.NOTE.path}").update(text="prepend /jam/notes"), "/jam/notes sent"),
    (lambda p: _box(p, f"udpreceive {P.DEFAULT_REPLY_PORT}").update(text="udpreceive 9000"), "must listen"),
    (lambda p: _box(p, f"udpsend {P.DEFAULT_HOST} {P.DEFAULT_PORT}").update(text="udpsend 10.0.0.2 7400"),
     "not a loopback"),
    (lambda p: _route(p).update(text=_route(p)["text"].replace(P.CHORD.path, "/jam/chords")), "routed"),
    (lambda p: _route(p).update(text=_route(p)["text"].replace(P.CHORD.path, P.NOTE.path)), "routed"),
    (lambda p: _box(p, f"{P.HELLO.path} {P.DEFAULT_REPLY_PORT}").update(text=f"{P.HELLO.path} 9000"), "reply port"),
    (lambda p: next(b["box"] for b in p["boxes"] if b["box"].get("presentation"))
     .update(presentation_rect=[400.0, 160.0, 40.0, 20.0]), "outside"),
    (lambda p: p["lines"].append(copy.deepcopy(p["lines"][0])), "fans out"),
])
def test_validator_catches_what_max_would_silently_break(patch, break_it, complaint):
    broken = copy.deepcopy(patch)
    break_it(broken["patcher"])
    found = problems(broken)
    assert any(complaint in f for f in found), found


def _box(p, text):
    return next(b["box"] for b in p["boxes"] if b["box"].get("text") == text)


def _route(p):
    return next(b["box"] for b in p["boxes"] if b["box"].get("text", "").startswith(f"route {P.CHORD.path}"))


def test_counts_table_follows_max_rules():
    assert (counts_for("route a b c").numinlets, counts_for("route a b c").numoutlets) == (4, 4)
    assert counts_for("t b l").outlettype == ("bang", "")
    assert counts_for("udpsend").numinlets == 0 and counts_for("udpsend 127.0.0.1 7400").numinlets == 1
    assert counts_for("expr $i1+$i2").numinlets == 2 and counts_for("expr int($f1/120.+0.5)").numinlets == 1
    assert counts_for("metro 16n @quantize 16n").numinlets == 2
    with pytest.raises(KeyError):
        counts_for("js jam.js")  # counts depend on the script: not used


def test_device_wiring_does_what_the_issue_asks(patch):
    """The plumbing (what it plays is tested by executing the patch: tests/test_simulate.py)."""
    g = Graph(patch)
    send = g.text(f"udpsend {P.DEFAULT_HOST} {P.DEFAULT_PORT}")[0]
    recv = g.text(f"udpreceive {P.DEFAULT_REPLY_PORT}")[0]
    midiin, midiout = g.text("midiin")[0], g.text("midiout")[0]
    # The performer's MIDI goes through (behind the Thru switch) and into the note path to the bridge.
    thru = g.text("gate 1 1")[0]
    assert g.reaches(midiin, 0, thru, 1) and (midiout, 0) in g.out[(thru, 0)]
    assert g.reaches(g.ui("Thru"), 0, thru, 0)
    note = g.text(f"prepend {P.NOTE.path}")[0]
    assert g.reaches(midiin, 0, note) and g.reaches(note, 0, send)
    assert any(g.boxes[s]["text"] == "pack i i f" for (s, _), ds in g.out.items() if (note, 0) in ds)
    transport = g.text(f"prepend {P.TRANSPORT.path}")[0]
    assert any(g.boxes[s]["text"] == "pack i f f" for (s, _), ds in g.out.items() if (transport, 0) in ds)
    # Registration at load and again when the link is lost; ping each second; bye when removed.
    this = g.text("live.thisdevice")[0]
    hello = g.text(f"{P.HELLO.path} {P.DEFAULT_REPLY_PORT}")[0]
    assert g.reaches(this, 0, hello) and (send, 0) in g.out[(hello, 0)]
    watchdog = g.text(f"delay {generate.WATCHDOG_MS}")[0]
    assert g.reaches(watchdog, 0, hello) and g.reaches(watchdog, 0, watchdog) and g.reaches(this, 0, watchdog)
    assert g.reaches(g.text(f"metro {generate.PING_MS}")[0], 0, send)
    assert g.reaches(this, 0, recv)  # the reply port follows the device's id
    bye = g.text(P.BYE.path)[0]
    assert g.reaches(g.text("freebang")[0], 0, bye) and (send, 0) in g.out[(bye, 0)]
    # The launcher hook (issue 16): start <port> on load, stop on removal, its status on the status line.
    node = g.text(generate.LAUNCHER)[0]
    assert g.reaches(this, 0, node) and g.reaches(g.text("freebang")[0], 0, node)
    assert g.reaches(node, 0, g.find(lambda b: b.get("varname") == "status_bridge")[0])
    # Chords are routed into the frame store; the 16th clock reads it and plays MIDI out.
    route = g.find(lambda b: b.get("text", "").startswith("route " + P.CHORD.path))[0]
    assert (route, 0) in g.out[(recv, 0)]
    words = g.boxes[route]["text"].split()[1:]
    store = g.text("coll")[0]
    for addr in (P.CHORD.path, P.NOCHORD.path):
        assert g.reaches(route, words.index(addr), store)
    clock = g.text("metro 16n @quantize 16n")[0]
    fmt = g.text("midiformat")[0]
    assert g.reaches(clock, 0, store) and g.reaches(clock, 0, fmt) and (midiout, 0) in g.out[(fmt, 0)]
    assert g.reaches(g.ui("Chord channel"), 0, fmt, 6)
    # Live's song is observed and told to the bridge: loop brace and time signature.
    for prop in ("is_playing", "tempo", "loop", "loop_start", "loop_length", "signature_numerator",
                 "signature_denominator"):
        assert g.text(f"live.observer {prop}")
    assert g.reaches(g.text("live.observer loop_length")[0], 0, g.text(f"prepend {P.LOOP.path}")[0])
    assert g.reaches(g.text("live.observer signature_denominator")[0], 0,
                     g.text(f"prepend {P.SET.path} beats_per_bar")[0])
    # Controls send their settings; after /jam/ready all of them go again.
    for name, prefix in (("Temperature", f"{P.SET.path} temperature"), ("Lookahead", f"{P.SET.path} lookahead_beats"),
                         ("Output", f"{P.SET.path} output"), ("Voicing", f"{P.SET.path} voicing"),
                         ("Grid", f"{P.SET.path} grid"),
                         ("Checkpoint", P.CHECKPOINT.path)):
        pre = g.text(f"prepend {prefix}")[0]
        assert g.reaches(g.ui(name), 0 if name in ("Temperature", "Lookahead") else 1, pre), name
        assert (send, 0) in g.out[(pre, 0)]
        assert g.reaches(route, words.index(P.READY.path), pre), name
    blend = g.text(f"{P.BLEND.path} {generate.BLEND_A} {generate.BLEND_B} $1")[0]
    assert g.reaches(g.ui("Blend"), 0, blend) and (send, 0) in g.out[(blend, 0)]
    assert g.reaches(g.ui("Reset"), 0, g.text(P.RESET.path)[0])
    # The menu lists the shipped performable checkpoints, fixed, and follows what plays.
    menu = g.boxes[g.ui("Checkpoint")]["saved_attribute_attributes"]["valueof"]
    assert menu["parameter_enum"] == list(generate.CHECKPOINT_ITEMS) and "rl-hack" not in menu["parameter_enum"]
    assert g.reaches(route, words.index(P.STATUS.path), g.ui("Checkpoint"))
    valueof = g.boxes[g.ui("Output")]["saved_attribute_attributes"]["valueof"]
    assert valueof["parameter_enum"] == list(P.OUTPUT_MODES)
    # Grid: the bridge's grids, starting on the bridge's default (a new set sounds as the bridge plays).
    valueof = g.boxes[g.ui("Grid")]["saved_attribute_attributes"]["valueof"]
    assert valueof["parameter_enum"] == list(GRIDS) == list(P.SETTING_VALUES["grid"])
    assert valueof["parameter_type"] == 2 and valueof["parameter_initial"] == [GRIDS.index(DEFAULT_GRID)]
    for name, key in (("Temperature", "temperature"), ("Lookahead", "lookahead_beats")):
        v = g.boxes[g.ui(name)]["saved_attribute_attributes"]["valueof"]
        lo, hi, _ = P.SETTING_VALUES[key]
        assert (v["parameter_mmin"], v["parameter_mmax"]) == (lo, hi) and lo <= v["parameter_initial"][0] <= hi


def test_generator_runs_as_a_script(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "max_patches" / "generate.py"), "--check"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr

"""The Max interpreter itself (max_patches/runtime.py), on virtual time: Max's rules, and the shipped device
driven by a scripted bridge over real UDP on 127.0.0.1 (re-sent growing runs, a loop wrap, a stop)."""
import json
import socket
import struct
from pathlib import Path

import pytest

from bridge import protocol as P
from jamcore.music.grid import DEFAULT_GRID, GRIDS
from max_patches.live_sim import Live, load
from max_patches.runtime import Patch, Scheduler, SimError, UdpReceive, UdpSend, osc_decode, osc_encode
from max_patches.score import score

ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "tests" / "fixtures" / "jam_bridge_before_issue13.maxpat"
SHIPPED = ROOT / "max_patches" / "jam_bridge.maxpat"
C, F = ("C", (48, 60, 64, 67)), ("F", (53, 60, 65, 69))
D = ("D", (50, 62, 66, 69))


def box(i, text, x=0.0, y=0.0, cls="newobj"):
    return {"box": {"id": f"obj-{i}", "maxclass": cls, "text": text, "patching_rect": [x, y, 50.0, 22.0]}}


def line(a, o, b, i=0):
    return {"patchline": {"source": [f"obj-{a}", o], "destination": [f"obj-{b}", i]}}


class Collect:
    """A host stub and a sink: what reaches ``receive`` of a [prepend] is recorded by tracing."""


def run(boxes, lines, feed):
    """Load a tiny patch, send ``feed`` (inlet-0 message of obj-1), return (outlet, msg) of every send."""
    sent = []
    patch = Patch({"patcher": {"boxes": boxes, "lines": lines}}, host=None, sched=Scheduler(virtual=True))
    patch.trace = lambda src, outlet, msg: sent.append((src, outlet, msg))
    patch.objects["obj-1"].receive(0, feed)
    return sent


def test_an_object_the_simulator_does_not_model_is_an_error():
    with pytest.raises(SimError, match="borax"):
        Patch({"patcher": {"boxes": [box(1, "borax")], "lines": []}}, None, Scheduler(virtual=True))


def test_trigger_fires_right_to_left_and_fan_out_goes_by_position_right_to_left():
    sent = run([box(1, "t b i f"), box(2, "prepend left", x=10), box(3, "prepend right", x=300)],
               [line(1, 0, 2), line(1, 2, 2), line(1, 1, 3)], ("int", (5,)))
    assert [(s, o) for s, o, _ in sent if s == "obj-1"] == [("obj-1", 2), ("obj-1", 1), ("obj-1", 0)]
    # One outlet to two boxes: the one further right first (Max's documented order).
    sent = run([box(1, "t i"), box(2, "prepend left", x=10), box(3, "prepend right", x=300)],
               [line(1, 0, 2), line(1, 0, 3)], ("int", (5,)))
    assert [m for s, _, m in sent if s != "obj-1"] == [("right", (5,)), ("left", (5,))]


@pytest.mark.parametrize("expr, value, want", [
    ("expr $i1/4", 7, ("int", (1,))),  # int / int divides to an int (C)
    ("expr $f1/4", 7, ("float", (1.75,))),
    ("expr $i1%4", -1, ("int", (-1,))),  # C remainder, not Python's
    ("expr int($f1/120.+0.5)", 359.0, ("int", (3,))),
    ("expr ($i1>2)*3+($i1==2)", 2, ("int", (1,))),
])
def test_expr_is_c_arithmetic(expr, value, want):
    sent = run([box(1, expr)], [], ("int", (value,)) if isinstance(value, int) else ("float", (value,)))
    assert sent[-1][2] == want


def test_coll_route_select_pack_message():
    sched = Scheduler(virtual=True)
    patch = Patch({"patcher": {"boxes": [box(1, "coll"), box(2, "route a b"), box(3, "sel 1 2"), box(4, "pack 0 90"),
                                         box(5, "$1 end, remove $1", cls="message")], "lines": []}}, None, sched)
    got = []
    patch.trace = lambda src, outlet, msg: got.append((src, outlet, msg))
    coll = patch.objects["obj-1"]
    coll.receive(0, ("list", (8, "C", 48, 60)))
    coll.receive(0, ("int", (8,)))
    coll.receive(0, ("int", (9,)))  # nothing stored: nothing out
    coll.receive(0, ("remove", (8,)))
    coll.receive(0, ("int", (8,)))
    assert [m for s, _, m in got if s == "obj-1"] == [("C", (48, 60))]
    patch.objects["obj-2"].receive(0, ("b", (1, 2)))
    patch.objects["obj-2"].receive(0, ("a", ()))
    patch.objects["obj-2"].receive(0, ("z", (3,)))
    assert [(o, m) for s, o, m in got if s == "obj-2"] == [(1, ("list", (1, 2))), (0, ("bang", ())), (2, ("z", (3,)))]
    patch.objects["obj-3"].receive(0, ("int", (2,)))
    patch.objects["obj-3"].receive(0, ("int", (7,)))
    assert [(o, m) for s, o, m in got if s == "obj-3"] == [(1, ("bang", ())), (2, ("int", (7,)))]
    patch.objects["obj-4"].receive(1, ("int", (100,)))  # cold: stores only
    patch.objects["obj-4"].receive(0, ("int", (60,)))
    assert [m for s, _, m in got if s == "obj-4"] == [("list", (60, 100))]
    patch.objects["obj-5"].receive(0, ("int", (12,)))
    assert [m for s, _, m in got if s == "obj-5"] == [("list", (12, "end")), ("remove", (12,))]
    with pytest.raises(SimError):
        coll.receive(0, ("dump", ()))


def test_osc_as_max_speaks_it():
    data = osc_encode("/jam/transport", [1, 2.5, "x"])
    assert data[data.index(b","):].startswith(b",ifs\0")
    assert osc_decode(data) == [("/jam/transport", [1, 2.5, "x"])]
    double = b"/a\0\0" + b",d\0\0" + struct.pack(">d", 3.25)
    assert osc_decode(double) == [("/a", [0])]  # Max reads a 64-bit double as 0
    assert osc_decode(data + b"\0") == []  # not a multiple of 4 bytes: dropped


# ------------------------------------------------------------------------------------------ a scripted bridge

class ScriptedBridge:
    """Answers /jam/hello with /jam/ready; the test sends chord events as the real bridge would."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.reply = None
        self.heard: list[tuple[str, list]] = []

    def poll(self):
        while True:
            try:
                data, sender = self.sock.recvfrom(65535)
            except BlockingIOError:
                return
            for address, args in osc_decode(data):
                self.heard.append((address, args))
                if address == P.HELLO.path:
                    self.reply = (sender[0], int(args[0]))
                    self.send(P.READY.path, "1", "fake")

    def send(self, address, *args):
        self.sock.sendto(osc_encode(address, args), self.reply)

    def chord(self, frame, frames, chord):
        self.send(P.CHORD.path, frame, frames, chord[0], *chord[1])

    def close(self):
        self.sock.close()


def frame_s(live):
    return 15.0 / live.transport.bpm


def start(patch_json, bridge, saved=None):
    live = Live(bpm=120, virtual=True)
    dev = live.add_device(patch_json, device_id=free_id(), saved=saved)
    for _ in range(20):
        live.run_for(0.01)
        bridge.poll()
    live.run_for(0.05)
    return live, dev


def free_id():
    for i in range(1, 500):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("127.0.0.1", P.DEFAULT_REPLY_PORT + i))
            except OSError:
                continue
        return i
    raise RuntimeError("no port")


def step(live, bridge, frames=1):
    for _ in range(frames):
        live.run_for(frame_s(live))
        bridge.poll()


def old_device(bridge):
    reply = None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        reply = s.getsockname()[1]
    text = BEFORE.read_text().replace('"udpreceive 7401"', f'"udpreceive {reply}"').replace(
        '"/jam/hello 7401"', f'"/jam/hello {reply}"').replace('"udpsend 127.0.0.1 7400"', f'"udpsend 127.0.0.1 {bridge.port}"')
    return json.loads(text)


@pytest.mark.parametrize("which", ["before", "shipped"])
def test_a_run_re_sent_longer_every_frame_sounds_for_its_whole_length(which):
    """What the bridge does: C committed from frame 4, re-sent each frame as more of it is committed
    (4 1 C, 4 2 C, ...), then F from frame 12. C must sound frames 4..11 whole."""
    bridge = ScriptedBridge()
    patch = old_device(bridge) if which == "before" else load(SHIPPED)
    live, dev = start(patch, bridge, None if which == "before" else {"Port": bridge.port})
    assert bridge.reply is not None
    live.play(0)
    t0 = live.sched.now()
    for f in range(0, 20):
        # at frame f the bridge has committed up to frame f + 4 and re-sends the runs from f on
        if f + 4 >= 4:
            c_len = min(f + 4, 12) - 4 + 1
            if f <= 4:
                bridge.chord(4, c_len, C)
        if f + 4 >= 12 and f <= 12:
            bridge.chord(12, f + 4 - 12 + 1, F)
        step(live, bridge)
    live.stop()
    live.run_for(0.1)
    ch = 1 if which == "before" else 2
    sounding = [dev.midi.sounding(t + 0.01, ch) for t, b, _ in live.grid if t >= t0]
    frames_c = [i for i, s in enumerate(sounding) if s == frozenset(C[1])]
    if which == "before":
        assert frames_c[:1] == [4] and len(frames_c) <= 2, frames_c  # cut at once: the defect of issue 13
    else:
        assert frames_c == list(range(4, 12)), frames_c
        assert [i for i, s in enumerate(sounding) if s == frozenset(F[1])][:1] == [12]
        assert not dev.midi.hanging()
    dev.close()
    bridge.close()


def test_the_chord_planned_across_the_loop_end_plays_on_the_wrap_and_stale_re_sends_do_not():
    bridge = ScriptedBridge()
    live, dev = start(load(SHIPPED), bridge, {"Port": bridge.port})
    live.set_loop(True, 0, 4)  # a one-bar loop: frames 0..15
    step(live, bridge, 2)
    assert (P.LOOP.path, [1, 0.0, 4.0]) in bridge.heard
    live.play(0)
    bridge.chord(0, 8, C)
    step(live, bridge, 8)  # frames 0..7
    bridge.chord(8, 4, F)
    step(live, bridge, 5)  # ..12
    # Past the loop end the bridge numbers on: frame 16 is the next pass's frame 0.
    bridge.chord(16, 2, C)
    bridge.chord(8, 6, F)  # a re-send of the run now playing, from its onset: must not replay on pass 2
    step(live, bridge, 3)  # wraps to frame 0
    assert live.grid[-1][1] == 0.0
    step(live, bridge, 10)  # pass 2, frames 0..9: nothing more sent
    live.stop()
    live.run_for(0.1)
    plays = [(round(b * 4), sorted(dev.midi.sounding(t + 0.01, 2))) for t, b, _ in live.grid]
    pass2 = plays[16:-1]  # the last tick is the instant Live stops
    assert pass2[0] == (0, sorted(C[1])), plays  # on time, at the wrap
    assert all(s == sorted(C[1]) for _, s in pass2), [(f, s) for f, s in pass2 if s != sorted(C[1])]  # held: the stale F at frame 8 did not play
    dev.close()
    bridge.close()


def test_a_next_pass_chord_that_arrives_just_after_the_wrap_plays_at_once():
    """The bridge's clock a hair behind the device's: the chord for the next pass's first frame, numbered
    past the loop end, lands just after Live wrapped. It plays at once (late), not a frame later."""
    bridge = ScriptedBridge()
    live, dev = start(load(SHIPPED), bridge, {"Port": bridge.port})
    live.set_loop(True, 0, 4)
    step(live, bridge, 2)
    live.play(0)
    bridge.chord(0, 16, F)
    step(live, bridge, 16)
    live.run_for(0.002)  # the wrap to frame 0 has happened
    assert live.grid[-1][1] == 0.0
    bridge.chord(16, 4, C)
    live.run_for(0.01)
    assert dev.midi.sounding(live.sched.now(), 2) == frozenset(C[1])
    live.stop()
    live.run_for(0.05)
    dev.close()
    bridge.close()


@pytest.mark.parametrize("saved", [None, "bar"])
def test_the_grid_control_sets_the_bridge_and_is_sent_again_after_every_ready(saved):
    """Grid: the set's value (or the bridge's default on a new set) goes out after /jam/ready, a click
    sends /jam/set grid <name> at once, and a bridge that answers /jam/ready again hears the new value."""
    bridge = ScriptedBridge()
    live, dev = start(load(SHIPPED), bridge, {"Port": bridge.port, **({"Grid": saved} if saved else {})})
    grids = lambda: [args for address, args in bridge.heard if address == P.SET.path and args[:1] == ["grid"]]
    assert grids() == [["grid", saved or DEFAULT_GRID]]
    dev.control("Grid").user_sets("half")
    step(live, bridge)
    assert grids()[1:] == [["grid", "half"]]
    bridge.send(P.READY.path, "1", "fake")  # the bridge restarted and took the device's hello again
    step(live, bridge)
    assert grids()[2:] == [["grid", "half"]]
    assert dev.saved_parameters()["Grid"] == GRIDS.index("half")  # what Live saves with the set
    dev.close()
    bridge.close()


@pytest.mark.parametrize("saved", [None, "opensesame"])
def test_the_secret_field_goes_into_the_hello_and_is_saved_with_the_set(saved):
    """Secret: empty (a new set), the device says /jam/hello <reply port>; with the set's word it says
    /jam/hello <reply port> <word>. Typing a new word (Enter) says hello again with it at once, the
    watchdog's hello carries it too, and Live saves it with the set."""
    bridge = ScriptedBridge()
    live, dev = start(load(SHIPPED), bridge, {"Port": bridge.port, **({"Secret": saved} if saved else {})})
    hellos = lambda: [args for address, args in bridge.heard if address == P.HELLO.path]  # noqa: E731
    reply = bridge.reply[1]
    assert hellos() == [[reply] + ([saved] if saved else [])]
    dev.control("Secret").user_types("swordfish")
    step(live, bridge)
    assert hellos()[1:] == [[reply, "swordfish"]]
    assert dev.saved_parameters()["Secret"] == "swordfish"
    bridge.reply = None  # the bridge goes quiet: the watchdog says hello again, with the word
    live.run_for(4.0)
    bridge.poll()
    assert hellos()[-1] == [reply, "swordfish"] and len(hellos()) >= 3
    dev.control("Secret").user_types("")
    step(live, bridge)
    assert hellos()[-1] == [reply]  # cleared: the plain hello again
    dev.close()
    bridge.close()


def test_after_a_seek_the_words_planned_for_the_old_position_do_not_play():
    """The bridge hears of a seek a moment after the device made it: what it sent in between was planned
    for the old position, and one of those words names a frame the new position reaches (F at frame 12,
    within reach of frame 4). The device waits for the bridge's first word about the new position (its
    run sounding there) and plays the new plan whole: D from frame 4, no F at 12."""
    bridge = ScriptedBridge()
    live, dev = start(load(SHIPPED), bridge, {"Port": bridge.port})
    live.play(0)
    bridge.chord(0, 12, C)
    step(live, bridge, 9)
    bridge.chord(12, 4, F)  # committed for the first pass
    step(live, bridge, 5)  # frames 9..13: F plays at 12
    live.seek(1.0)  # back to frame 4
    live.run_for(0.002)
    assert round(live.grid[-1][1] * 4) == 4
    bridge.chord(12, 4, F)  # still in flight from before the bridge heard of the seek
    live.run_for(0.01)
    bridge.chord(4, 1, D)  # the bridge's first word about frame 4 ...
    for n in range(2, 12):  # ... and its run re-sent longer each frame
        step(live, bridge)
        bridge.chord(4, n, D)
    step(live, bridge, 3)  # to frame 17
    live.stop()
    live.run_for(0.1)
    plays = [(round(b * 4), sorted(dev.midi.sounding(t + 0.01, 2))) for t, b, _ in live.grid]
    seek = next(i for i in range(1, len(plays)) if plays[i][0] < plays[i - 1][0])
    second = plays[seek:seek + 11]
    assert [f for f, _ in second] == list(range(4, 15)), plays
    # Frame 4's chord arrives a few ms after the frame began (as from the real bridge), then D holds.
    assert second[0][1] in ([], sorted(D[1])) and all(s == sorted(D[1]) for _, s in second[1:]), second
    dev.close()
    bridge.close()


def test_a_loop_wrap_keeps_the_device_listening_to_chords_planned_ahead():
    """A wrap is not a seek: after it the bridge does not re-send the run playing across it, and its next
    word names a frame a beat ahead. That word is stored and plays on its frame. (Kept under the
    device's 3 s link watchdog: this scripted bridge answers no ping.)"""
    bridge = ScriptedBridge()
    live, dev = start(load(SHIPPED), bridge, {"Port": bridge.port})
    live.set_loop(True, 0, 2)  # a two-beat loop: frames 0..7
    step(live, bridge, 2)
    live.play(0)
    live.run_for(0.002)  # the device has reached frame 0: the bridge's first word is about it
    bridge.chord(0, 8, C)
    step(live, bridge, 10)  # wrapped to frame 0, now at frame 2 of pass 2
    assert round(live.grid[-1][1] * 4) == 2
    bridge.chord(6, 2, F)  # four frames ahead
    step(live, bridge, 5)
    live.stop()
    live.run_for(0.1)
    plays = [(round(b * 4), sorted(dev.midi.sounding(t + 0.01, 2))) for t, b, _ in live.grid]
    assert plays[1][1] == sorted(C[1]), plays
    pass2 = plays[8:-1]
    assert [f for f, _ in pass2] == list(range(7)), plays
    assert all(s == sorted(C[1]) for _, s in pass2[:6]) and pass2[6][1] == sorted(F[1]), pass2
    dev.close()
    bridge.close()

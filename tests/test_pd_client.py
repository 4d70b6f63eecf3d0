"""End to end with a real patching environment: headless Pd runs max_patches/pd/jam_demo.pd, which plays a
short melody through jam_client.pd to a bridge over UDP on 127.0.0.1 and prints the chords it gets.

Two bridges behind one fixture: a small fake responder (python-osc; records every datagram Pd sends) and
the real daemon (``bridge.daemon.Bridge`` with random-weight tiny checkpoints). Pd quits by itself; the
test kills it if it does not.
"""
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from bridge import protocol as P
from jamcore.music.grid import DEFAULT_GRID
from max_patches.pd_client import DEMO_MELODY, DEMO_TAIL_BEATS, PdPatch

PD = shutil.which("pd")
PD_DIR = Path(__file__).resolve().parent.parent / "max_patches" / "pd"
pytestmark = pytest.mark.skipif(PD is None, reason="Pure Data (puredata-core) is not installed")

TAGS_OK = re.compile(r"^,[ifs]*$")
FAKE_CHORD = ("C", (48, 60, 64, 67))


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(address, *typed):
    b = OscMessageBuilder(address)
    for tag, value in typed:
        b.add_arg(value, tag)
    return b.build().dgram


def chord(frame: int, name: str, pitches) -> bytes:
    return build(P.CHORD.path, ("i", frame), ("i", 4), ("s", name), *(("i", p) for p in pitches))


class FakeBridge:
    """Answers /jam/hello with /jam/ready, /jam/list with /jam/checkpoints and each note-on at beat b with a
    chord on the next beat (frame 4*b + 4, one beat long): enough to exercise the client's logic. Like the
    real bridge, its first word after the transport starts is about the frame now sounding (silence)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.received: list[tuple[str, str, list]] = []  # (address, typetags, args)
        self.reply_to = None
        self.playing = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                data, sender = self.sock.recvfrom(65536)
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            msg = OscMessage(data)
            tags = data[(data.index(b",")):].split(b"\0", 1)[0].decode()
            self.received.append((msg.address, tags, list(msg.params)))
            self.react(msg, sender)

    def react(self, msg, sender):
        if msg.address == P.HELLO.path:
            self.reply_to = (sender[0], int(msg.params[0]))
            self.send(build(P.READY.path, ("s", P.PROTOCOL_VERSION), ("s", "fake")))
        elif msg.address == P.LIST.path:
            self.send(build(P.CHECKPOINTS.path, ("s", "fake"), ("s", "gapt-1.0")))
        elif msg.address == P.TRANSPORT.path:
            playing = bool(msg.params[0])
            if playing and not self.playing:
                self.send(build(P.NOCHORD.path, ("i", int(4 * msg.params[1] + 1e-6))))
            self.playing = playing
        elif msg.address == P.NOTE.path and msg.params[1] > 0:
            self.send(chord(int(4 * msg.params[2] + 1e-6) + 4, *FAKE_CHORD))

    def send(self, dgram):
        if self.reply_to:
            self.sock.sendto(dgram, self.reply_to)

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(params=["fake", "daemon"])
def bridge(request, tmp_path):
    """Yields (kind, port, recorder). The daemon is the real `jamcore serve` engine in a thread."""
    if request.param == "fake":
        fake = FakeBridge()
        yield "fake", fake.port, fake
        fake.close()
        return
    pytest.importorskip("torch")
    from bridge.daemon import Bridge
    from bridge.session import Settings
    from bridge.testing import tiny_checkpoints

    tiny_checkpoints(tmp_path, names=("tiny",))
    b = Bridge(port=0, checkpoint="tiny", checkpoint_dir=tmp_path, seed=0,
               settings=Settings(lookahead_beats=1.5, commit_beats=1.0)).start_thread()
    yield "daemon", b.port, None
    b.stop()


def run_pd(port: int, reply_port: int, timeout: float = 20.0, patch: Path = PD_DIR / "jam_demo.pd") -> tuple[int, str]:
    cmd = [PD, "-nogui", "-noaudio", "-nomidi", "-stderr", "-path", str(PD_DIR),
           "-send", f"jam-config {port} {reply_port}", "-open", str(patch)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:  # subprocess.run kills it
        pytest.fail(f"Pd did not quit within {timeout} s: {exc.stderr}")
    return out.returncode, out.stdout + out.stderr


def parse(log: str):
    chords, played, notes = {}, [], []
    for line in log.splitlines():
        words = line.split()
        if words[:2] == ["jam:", "chord"]:
            frame, frames, symbol, *pitches = words[2:]
            chords[int(float(frame))] = (int(float(frames)), symbol, tuple(int(float(p)) for p in pitches))
        elif words[:2] == ["jam:", "play"]:
            played.append(int(float(words[2])))
        elif words[:1] == ["jam-note:"]:
            notes.append((int(float(words[1])), int(float(words[2]))))
    return chords, played, notes


def durations(log: str) -> list[tuple[int, int, int]]:
    """(frame, frames it sounded, frames until the next chord event the bridge sent) for each chord the
    client struck, from the order of its prints (``jam-frame: N`` comes before what plays on N)."""
    frame, strikes, events, last = None, {}, set(), None
    held: dict[int, int] = {}
    out = []
    for line in log.splitlines():
        words = line.split()
        if words[:1] == ["jam-frame:"]:
            frame = last = int(float(words[1]))
        elif words[:2] in (["jam:", "chord"], ["jam:", "nochord"]):
            events.add(int(float(words[2])))
        elif words[:1] == ["jam-note:"] and frame is not None:
            pitch, vel = int(float(words[1])), int(float(words[2]))
            if vel > 0:
                held[pitch] = frame
                strikes.setdefault(frame, set()).add(pitch)
            elif pitch in held:
                start = held.pop(pitch)
                nxt = min((e for e in events if e > start), default=None)
                out.append((start, frame - start, None if nxt is None else nxt - start))
    return [(s, n, want) for s, n, want in out if want is not None and s + n < (last or 0)]


def test_pd_plays_a_melody_to_the_bridge_and_plays_the_chords_back(bridge):
    kind, port, recorder = bridge
    rc, log = run_pd(port, free_udp_port())
    assert rc == 0, log
    assert "jam: ready" in log, log
    assert not [line for line in log.splitlines() if "error" in line.lower()], log
    chords, played, notes = parse(log)
    last_frame = int(max(b + n for b, _, n in DEMO_MELODY) * 4) + DEMO_TAIL_BEATS * 4
    assert chords, f"no chords received:\n{log}"
    assert all(0 <= f < last_frame + 16 for f in chords)
    # Chords were played on their frames, in order, and every note that sounded was released.
    assert len(played) >= 4, log
    assert played == sorted(played)
    sounding = {}
    for pitch, vel in notes:
        sounding[pitch] = sounding.get(pitch, 0) + (1 if vel > 0 else -1)
    assert notes and all(v == 0 for v in sounding.values()), f"hanging notes: {sounding}"
    # Each chord sounded until the next chord event, to the frame (re-sent runs grow: they never cut it).
    held = durations(log)
    assert held, log
    assert all(n == want for _, n, want in held), held
    if kind == "fake":
        # The fake answers each note on the next beat: every beat of the melody got its chord.
        note_ons = [b for b, _, _ in DEMO_MELODY]
        assert {int(4 * b) + 4 for b in note_ons} <= set(chords)
        assert all(chords[f][1:] == FAKE_CHORD for f in chords)
        # What Pd put on the wire: only i/f/s, the melody exactly, the transport on every beat, in order.
        assert all(TAGS_OK.match(tags) for _, tags, _ in recorder.received)
        by_address = {}
        for address, tags, args in recorder.received:
            assert P.by_path(address) in P.INCOMING, address
            by_address.setdefault(address, []).append((tags, args))
        assert by_address[P.HELLO.path][0][0] == ",i"
        sent_ons = [(a[0], a[2]) for t, a in by_address[P.NOTE.path] if a[1] > 0]
        assert all(t == ",iif" for t, _ in by_address[P.NOTE.path])
        assert sent_ons == [(p, b) for b, p, _ in DEMO_MELODY]
        beats = [a[1] for t, a in by_address[P.TRANSPORT.path] if a[0] == 1]
        assert all(t == ",iff" for t, _ in by_address[P.TRANSPORT.path])
        assert beats[:5] == [0.0, 0.0, 1.0, 2.0, 3.0] or beats[:4] == [0.0, 1.0, 2.0, 3.0]
        assert by_address[P.TRANSPORT.path][-1][1][0] == 0  # stopped at the end
        assert P.BYE.path in by_address and P.LIST.path in by_address
        assert ("sf", ["lookahead_beats", 1.5]) == (by_address[P.SET.path][0][0][1:], by_address[P.SET.path][0][1])
        assert (",ss", ["grid", DEFAULT_GRID]) in by_address[P.SET.path]  # a symbol setting: the harmonic-rhythm grid


STALE, FRESH = ("F", (53, 65, 69, 72)), ("G", (55, 67, 71, 74))


class ScriptedFake(FakeBridge):
    """The fake bridge, plus a script: when the client's transport says (playing, beat) of the script's next
    step, that step's datagrams go out at once (the words of a real bridge still on their way, then its
    word about the present and its new plan)."""

    def __init__(self, script):
        self.script = list(script)
        super().__init__()

    def react(self, msg, sender):
        super().react(msg, sender)
        if msg.address == P.TRANSPORT.path and self.script and self.script[0][0] == (msg.params[0], msg.params[1]):
            for dgram in self.script.pop(0)[1]:
                self.send(dgram)


def timed_patch(steps, bpm: int = 480) -> str:
    """jam_client driven by the clock: each (milliseconds after loading, message) goes to its inlet; then
    bye and quit."""
    p = PdPatch(700, 400)
    client = p.obj("jam_client", 20, 300)
    load = p.obj("loadbang", 20, 40)
    end = steps[-1][0] + 300
    for i, (ms, text) in enumerate(steps + [(end, "bye")]):
        wait = p.obj(f"delay {ms}", 20 + 150 * i, 100)
        p.connect(load, 0, wait)
        m = p.msg(text.format(bpm=bpm), 20 + 150 * i, 130)
        p.connect(wait, 0, m)
        p.connect(m, 0, client)
    done = p.obj(f"delay {end + 200}", 20, 40)
    p.connect(load, 0, done)
    quit_msg = p.msg("; pd quit", 20, 70)
    p.connect(done, 0, quit_msg)
    return p.dumps()


# (what the client's inlet gets and when, the fake's script, frames that must play, frames that must not)
SEEKS = {
    # A seek forward: a chord the old plan had reached (70) arrives before the bridge's word about the
    # new position (silence from 64) and its new plan (a chord at 72).
    "forward": ([(100, "transport 1 0 {bpm}"), (500, "transport 1 16 {bpm}"), (900, "transport 0 20 {bpm}")],
                [((1, 16.0), [chord(70, *STALE), build(P.NOCHORD.path, ("i", 64)), chord(72, *FRESH)])],
                {72}, {70}),
    # A seek back a few beats: what was stored for the old pass (a chord at 20) is forgotten; the new plan
    # (silence from 10, a chord at 16) plays.
    "back": ([(100, "transport 1 0 {bpm}"), (500, "transport 1 2.5 {bpm}"), (1100, "transport 0 8 {bpm}")],
             [((1, 0.0), [chord(20, *STALE)]), ((1, 2.5), [build(P.NOCHORD.path, ("i", 10)), chord(16, *FRESH)])],
             {16}, {20}),
    # Stop, words still on their way (the sounding run, a chord at 14), start again from the top: only the
    # new plan (a chord at 8) plays.
    "stop and start": ([(100, "transport 1 0 {bpm}"), (500, "transport 0 3 {bpm}"), (800, "transport 1 0 {bpm}"),
                        (1400, "transport 0 5 {bpm}")],
                       [((0, 3.0), [build(P.NOCHORD.path, ("i", 12)), chord(14, *STALE)]), ((1, 0.0), []),
                        ((1, 0.0), [chord(8, *FRESH)])],
                       {8}, {14}),
}


@pytest.mark.parametrize("case", list(SEEKS))
def test_after_a_seek_or_a_stop_pd_plays_only_the_new_plan(tmp_path, case):
    """The protocol's rule for clients (docs/osc.md), executed in Pd: after a seek or a stop, chords
    planned for the old position (stored before it, or arriving before the bridge's word about the new
    one) never sound; the new plan does."""
    steps, script, wanted, stale = SEEKS[case]
    fake = ScriptedFake(script)
    try:
        patch = tmp_path / "seek.pd"
        patch.write_text(timed_patch(steps))
        rc, log = run_pd(fake.port, free_udp_port(), patch=patch)
    finally:
        fake.close()
    assert rc == 0 and not fake.script, log  # every step of the script was played
    chords, played, notes = parse(log)
    assert wanted | stale <= set(chords), log  # every word arrived
    assert wanted <= set(played), log
    assert not stale & set(played), log
    struck = {pitch for pitch, vel in notes if vel > 0}
    assert not struck & (set(STALE[1]) - set(FRESH[1])), notes

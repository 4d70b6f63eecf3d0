"""End to end over real UDP on 127.0.0.1: the daemon's engine in a thread, clients as separate sockets.

Melodies play in real time at high tempo (480 BPM: a 16th is 31 ms) to keep the suite fast. Random-
weight checkpoints: the music is nonsense, the timing and the protocol are what is tested here.
"""
import re
import shutil
import socket
import subprocess
import time

import pytest
import torch
from pythonosc.osc_message import OscMessage

from bridge import protocol as P
from bridge.client import JamClient
from bridge.daemon import Bridge
from bridge.loader import LOAD_TIMEOUT_S
from bridge.server import encode
from bridge.session import Settings
from bridge.testing import tiny_checkpoints

BPM = 480.0
SPF = 60.0 / BPM / 4
# How long a test waits for the loader process's answer (a switch, a blend, a refusal). The loader runs
# below the engine's priority, so on a busy machine it answers late while the old policy plays on;
# the bound is the loader's own (bridge.loader.LOAD_TIMEOUT_S), not a deadline the music keeps.
LOADER_WAIT = LOAD_TIMEOUT_S
TAGS_OK = re.compile(r"^,[ifs]*$")


@pytest.fixture(scope="module")
def ckdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("checkpoints")
    tiny_checkpoints(d)
    # An evaluation baseline: loadable by name, not offered in the menu.
    from jamcore.models.saved import load_policy, save_checkpoint

    model, _ = load_policy(d / "tiny")
    save_checkpoint(model, d / "tiny-baseline", {"adv_weight": 0.0, "baseline": True})
    return d


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)  # as the daemon runs
    yield
    torch.set_num_threads(n)


@pytest.fixture
def bridge(ckdir):
    b = Bridge(port=0, checkpoint="tiny", checkpoint_dir=ckdir, seed=0,
               settings=Settings(lookahead_beats=1.5, commit_beats=1.0)).start_thread()
    yield b
    b.stop()


def client(bridge):
    c = JamClient(port=bridge.port)
    c.hello()
    return c


class Player:
    """Plays frames in real time: transport on every beat, one note per frame (or none)."""

    def __init__(self, *clients, bpm=BPM):
        self.clients = clients
        self.bpm = bpm
        self.t0 = None  # wall time of frame `f0`
        self.f0 = 0

    def frame_time(self, f):
        return self.t0 + (f - self.f0) * 60.0 / self.bpm / 4

    def play(self, frames, start=None, notes=lambda f: 60 + f % 5, transport_first=True):
        start = self.next_frame if start is None else start
        now = time.monotonic()
        if self.t0 is None or start != self.f0 + self.played:
            self.t0, self.f0, self.played = now + 0.02, start, 0
        for f in range(start, start + frames):
            time.sleep(max(0.0, self.frame_time(f) - time.monotonic()))
            for c in self.clients:
                if f % 4 == 0 or (transport_first and f == start):
                    c.transport(True, f / 4, self.bpm)
                if notes(f) is not None:
                    c.note(notes(f), 100, f / 4)
            self.played += 1
        time.sleep(60.0 / self.bpm / 4)

    @property
    def next_frame(self):
        """The frame the next ``play`` starts at."""
        return self.f0 + self.played if self.t0 is not None else 0

    def play_until(self, c, address, predicate=None, timeout=None):
        """Play on, a beat at a time, until ``c`` receives a message to ``address`` (as a device streams
        while it waits for the loader's answer: a client that falls silent is parked, and a parked
        client is told nothing until it speaks again). Returns the message."""
        deadline = time.monotonic() + (LOADER_WAIT if timeout is None else timeout)
        while True:
            self.play(4)
            try:
                return c.wait_for(address, predicate, timeout=0.0)
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise


def covered_before(c, frames, player, since=0.0):
    """Frames whose chord (or no-chord) reached the client (after ``since``) before the frame started."""
    first = c.coverage(since)
    return {f for f in frames if f in first and first[f] <= player.frame_time(f)}


def all_typetags_ok(c):
    bad = [r for r in c.received if not TAGS_OK.match(r.typetags)]
    assert not bad, bad[:3]


def test_hello_ready_ping_list(bridge):
    with JamClient(port=bridge.port) as c:
        ready = c.hello()
        assert ready.args == (P.PROTOCOL_VERSION, "tiny") and ready.typetags == ",ss"
        c.wait_for(P.STATUS.path, lambda r: r.args == ("checkpoint", "tiny"))
        c.send(P.PING.path, 42)
        assert c.wait_for(P.PONG.path).args == (42,)
        c.send(P.LIST.path)
        names = c.wait_for(P.CHECKPOINTS.path).args
        assert {"tiny", "tiny2", "wide"} <= set(names) and "broken" in names
        assert "tiny-baseline" not in names and "rl-hack" not in names  # baselines stay off the menu
        assert bridge.library.load("tiny-baseline")[1]["baseline"] is True  # but load by name
        all_typetags_ok(c)


def test_engine_freezes_the_loaded_heap(bridge):
    # A full garbage collection over torch and the models stalls the engine ~80 ms: the heap that exists
    # once the models are loaded is frozen, so collections mid-song only walk new objects.
    import gc
    with JamClient(port=bridge.port) as c:
        c.hello()  # answered by the engine loop, so it has started
    assert gc.get_freeze_count() > 10_000


def _probe(port: int, seq: int) -> list[OscMessage]:
    """What the device's launcher does: one /jam/ping from a socket of its own, then what comes back to it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(2.0)
        s.sendto(encode(P.PING.path, (seq,), "i"), ("127.0.0.1", port))
        got = [OscMessage(s.recvfrom(1024)[0])]
        s.settimeout(0.2)
        try:
            while True:
                got.append(OscMessage(s.recvfrom(1024)[0]))
        except socket.timeout:
            return got


def test_unregistered_sender_gets_only_a_pong(bridge):
    with JamClient(port=bridge.port) as a, JamClient(port=bridge.port) as b:
        a.hello()
        b.hello()
        with JamClient(port=bridge.port) as stranger:  # two clients on this host: no fallback match
            stranger.note(300, 1, 0.0)
            time.sleep(0.2)
            assert stranger.received == []
        got = _probe(bridge.port, 1)  # "is a bridge here?": answered to the socket that asked
        assert [(m.address, m.params) for m in got] == [(P.PONG.path, [1])]


def test_a_probe_is_answered_to_the_prober_while_one_device_is_connected(bridge):
    with JamClient(port=bridge.port) as device:
        device.hello()
        # Same host, one client: the probe is still a stranger's (a client is the socket that said
        # hello), answered to the prober only; the device hears nothing of it.
        assert [(m.address, m.params) for m in _probe(bridge.port, 5)] == [(P.PONG.path, [5])]
        time.sleep(0.1)
        assert not device.messages(P.PONG.path)


def test_melody_produces_chords_on_every_frame_ahead_of_time(bridge):
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)
        p.play(64)
        frames = set(range(1, 64))  # frame 0 is committed as the transport starts
        assert covered_before(c, frames, p) == frames
        # Past the first beat (committed the moment the transport started) chords come a beat early. One
        # frame may be delayed by an OS hiccup on a shared CI machine (it still arrived in time, above).
        cov = c.coverage()
        margins = sorted(p.frame_time(f) - cov[f] for f in range(4, 64))
        assert margins[1] > 0.5 * 60.0 / BPM, margins[:5]
        assert margins[len(margins) // 2] > 0.8 * 60.0 / BPM
        chords = [sc for sc in c.chords.values() if sc.symbol]
        assert chords and all(len(sc.pitches) >= 3 for sc in chords)
        hb = c.messages(P.STATUS.path)
        assert sum(1 for r in hb if r.args[0] == "heartbeat") >= 10  # about one per beat
        all_typetags_ok(c)


def test_grid_setting_keeps_chord_changes_on_bar_lines(bridge):
    # `/jam/set grid bar`: after the first chord (which may come as soon as listening ends) the chords the
    # device hears change only on bar lines, although this random-weight policy churns every frame.
    with JamClient(port=bridge.port) as c:
        c.hello()
        c.set("grid", "bar")
        c.wait_for(P.STATUS.path, lambda r: r.args == ("setting", "grid=bar"))
        p = Player(c)
        p.play(80)
        heard = [c.chord_at(f) for f in range(80)]
        first = next(f for f, s in enumerate(heard) if s is not None)
        changes = [f for f in range(first + 1, 80) if heard[f] != heard[f - 1]]
        assert changes and all(f % 16 == 0 for f in changes), (first, changes)
        c.set("grid", "eighth")
        assert "grid must be one of 16th, beat, half, bar" in c.wait_for(P.ERROR.path).args[1]


def test_seek_loop_and_tempo_change_without_stale_chords(bridge):
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)
        p.play(24)  # beats 0..6
        # Seek forward to beat 32 (frame 128).
        c.transport(True, 32.0, BPM)
        time.sleep(0.01)
        mark, t_seek = len(c.received), time.monotonic()
        p.play(24, start=128)
        after = [r for r in c.received[mark:] if r.address in (P.CHORD.path, P.NOCHORD.path)]
        assert after and all(r.args[0] >= 128 for r in after)  # nothing for the old position
        assert covered_before(c, set(range(129, 152)), p, since=t_seek) == set(range(129, 152))
        # Loop brace back to bar 1: chords for frames 0.. are sent again, fresh.
        t_jump = time.monotonic()
        p.play(16, start=0)
        assert covered_before(c, set(range(1, 16)), p, since=t_jump) == set(range(1, 16))
        # What plays at each frame is the newest message whose span covers it (a chord re-planned after the
        # jump may start on another frame than the one it replaces, so the store's keys alone cannot say).
        heard = c.coverage(newest=True)
        assert all(heard[f] >= t_jump for f in range(1, 16)), {f: heard[f] >= t_jump for f in range(1, 16)}
        # Frame 0 sounds the moment Live jumps, so it is re-sent only if the bridge planned it before the
        # frame was over; when it was later (a loaded machine, a 31 ms frame), the bridge's first word
        # names the frame then sounding, and the device, which cleared its store on the jump, plays that.
        fresh = [r for r in c.received[mark:] if r.t >= t_jump and r.address in (P.CHORD.path, P.NOCHORD.path)
                 and r.args[0] < 16]
        assert c.chords[0].t >= t_jump or (fresh[0].args[0] > 0 and fresh[0].t > p.frame_time(1)), fresh[:2]
        # Tempo change mid-stream: 480 -> 300 BPM, position continuous.
        p2 = Player(c, bpm=300.0)
        t_tempo = time.monotonic()
        p2.play(24, start=16)
        assert covered_before(c, set(range(17, 40)), p2, since=t_tempo) == set(range(17, 40))
        all_typetags_ok(c)


def test_checkpoint_switch_mid_session_without_a_missing_frame(bridge):
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)
        p.play(24)
        c.send(P.CHECKPOINT.path, "tiny2")
        p.play(40)
        c.wait_for(P.STATUS.path, lambda r: r.args == ("loading", "tiny2"), timeout=1)
        p.play_until(c, P.STATUS.path, lambda r: r.args == ("checkpoint", "tiny2"))
        assert not c.messages(P.ERROR.path)
        frames = set(range(1, p.next_frame))  # before, while and after it loaded
        assert covered_before(c, frames, p) == frames
        # A blend of two compatible checkpoints plays too.
        sent_at = p.next_frame
        c.send(P.BLEND.path, "tiny", "tiny2", 0.5)
        p.play(16)
        p.play_until(c, P.STATUS.path, lambda r: r.args == ("checkpoint", "tiny+tiny2@0.5"))
        frames = set(range(sent_at, p.next_frame))
        assert covered_before(c, frames, p) == frames


@pytest.mark.parametrize("name, why", [("nope", "no checkpoint named"), ("broken", "unreadable weights")])
def test_bad_checkpoint_refused_and_old_one_keeps_playing(bridge, name, why):
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)
        p.play(8)
        c.send(P.CHECKPOINT.path, name)
        p.play(16)
        err = p.play_until(c, P.ERROR.path)
        assert err.args[0] == P.CHECKPOINT.path and why in err.args[1] and "keeping 'tiny'" in err.args[1]
        assert not any(r.args == ("checkpoint", name) for r in c.messages(P.STATUS.path))
        frames = set(range(1, p.next_frame))
        assert covered_before(c, frames, p) == frames


def test_blend_of_different_architectures_refused(bridge):
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)
        p.play(4)
        c.send(P.BLEND.path, "tiny", "wide", 0.3)
        p.play(8)
        assert "architectures differ" in p.play_until(c, P.ERROR.path).args[1]


BAD_INPUTS = [
    (P.NOTE.path, (300, 100, 1.0), None),  # pitch 300
    (P.NOTE.path, (60.5, 100.0, 1.0), "fff"),  # non-integral pitch
    (P.NOTE.path, (60, 100.25, 1.0), "iff"),  # non-integral velocity
    (P.NOTE.path, ("C4", 100, 1.0), None),  # wrong type
    (P.NOTE.path, (60, 100), None),  # wrong count
    (P.TRANSPORT.path, (1, 1.0, 0.0), None),  # bpm 0
    (P.TRANSPORT.path, (1, 1.0, 10000.0), None),  # bpm 10,000
    (P.TRANSPORT.path, (1, float("nan"), 120.0), None),  # beat NaN
    (P.SET.path, ("temperature", "hot"), None),
    (P.SET.path, ("colour", 1), None),
    ("/jam/unknown", (1,), None),
]


def test_each_bad_input_gets_an_error_while_the_session_continues(bridge):
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)
        p.play(8)
        for path, args, tags in BAD_INPUTS:
            c.send(path, *args, tags=tags)
        c.send_raw(b"\x00\x01garbage")  # malformed packet
        c.send_raw(b"/jam/note\0\0\0,iif\0\0\0\0\0\0\0<")  # truncated
        p.play(16)
        errors = c.messages(P.ERROR.path)
        assert len(errors) == len(BAD_INPUTS) + 2, [e.args for e in errors]
        assert [e.args[0] for e in errors[: len(BAD_INPUTS)]] == [b[0] for b in BAD_INPUTS]
        assert covered_before(c, set(range(1, 24)), p) == set(range(1, 24))
        all_typetags_ok(c)


def test_two_clients_at_once_each_with_its_own_session(bridge):
    with JamClient(port=bridge.port) as a, JamClient(port=bridge.port) as b:
        a.hello()
        b.hello()
        b.send(P.CHECKPOINT.path, "tiny2")
        b.wait_for(P.STATUS.path, lambda r: r.args == ("loading", "tiny2"))
        # Both play from one player loop in real time, same tempo; b's switch lands while they play.
        both = Player(a, b)
        both.play_until(b, P.STATUS.path, lambda r: r.args == ("checkpoint", "tiny2"))
        start = both.next_frame
        both.play(32, notes=lambda f: 72 - f % 3)  # a different melody from here
        frames = set(range(1, start + 32))  # a's chords and b's, while b's switch loaded too
        assert covered_before(a, frames, both) == frames
        assert covered_before(b, frames, both) == frames
        assert len(bridge.clients) == 2
        assert {c.session.checkpoint for c in bridge.clients.values()} == {"tiny", "tiny2"}
        a.send(P.BYE.path)
        time.sleep(0.1)
        assert len(bridge.clients) == 1
        only_b = Player(b)
        only_b.play(8, start=start + 32)
        assert covered_before(b, set(range(start + 33, start + 40)), only_b) == set(range(start + 33, start + 40))


def test_a_burst_of_notes_does_not_stop_chords_to_a_healthy_client(bridge):
    with JamClient(port=bridge.port) as healthy, JamClient(port=bridge.port) as noisy:
        healthy.hello()
        noisy.hello()
        noisy.transport(True, 0.0, 120.0)
        p = Player(healthy)
        t0 = time.monotonic()
        sent = 0
        import threading

        def flood():
            # 1,000 notes in one second: ten every 10 ms (a count, not a rate the OS's sleep can shrink)
            nonlocal sent
            for tick in range(100):
                for _ in range(10):
                    noisy.note(60 + sent % 12, 100 if sent % 2 == 0 else 0, 0.0)
                    sent += 1
                time.sleep(max(0.0, t0 + (tick + 1) * 0.01 - time.monotonic()))

        th = threading.Thread(target=flood)
        th.start()
        p.play(32)
        th.join()
        assert sent == 1000 and time.monotonic() - t0 < 2.0
        assert covered_before(healthy, set(range(1, 32)), p) == set(range(1, 32))
        noisy.send(P.PING.path, 7)
        assert noisy.wait_for(P.PONG.path, timeout=1).args == (7,)


def test_a_flood_of_notes_on_the_beat_does_not_starve_its_own_chords(bridge):
    """1,000 valid notes a second at the current position: chords must still be committed in time."""
    with JamClient(port=bridge.port) as c:
        c.hello()
        p = Player(c)

        def notes(f):
            return 60 + f % 5

        import threading

        stop = threading.Event()

        def flood():
            i = 0
            while not stop.is_set():
                beat = (time.monotonic() - p.t0) / (60.0 / BPM) if p.t0 else 0.0
                c.note(48 + i % 24, 100 if i % 2 == 0 else 0, max(beat, 0.0))
                i += 1
                time.sleep(0.001)

        th = threading.Thread(target=flood)
        th.start()
        try:
            p.play(48, notes=notes)
        finally:
            stop.set()
            th.join()
        assert covered_before(c, set(range(4, 48)), p) == set(range(4, 48))
        assert bridge.clients and all(cl.session.late_commits == 0 for cl in bridge.clients.values())


def test_vanished_client_is_dropped(ckdir, caplog):
    b = Bridge(port=0, checkpoint="tiny", checkpoint_dir=ckdir, client_timeout=0.3).start_thread()
    try:
        c = JamClient(port=b.port)
        c.hello()
        c.transport(True, 0.0, 240.0)
        c.close()  # gone without /jam/bye: sends to it now go nowhere
        with caplog.at_level("INFO", logger="jamcore.bridge"):
            time.sleep(0.6)
        assert not b.clients
        assert any("dropped" in r.message for r in caplog.records)
        with JamClient(port=b.port) as d:  # the daemon still serves newcomers
            d.hello()
    finally:
        b.stop()


@pytest.mark.skipif(not (shutil.which("oscsendfile") and shutil.which("oscdump")), reason="liblo-tools not installed")
def test_liblo_oscsendfile_and_oscdump_as_a_third_party_device(bridge, tmp_path):
    """liblo's tools as the device: ``oscsendfile`` sends every message from one socket (a client is the
    socket that said hello), ``oscdump`` listens on the reply port."""
    import socket

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    reply = s.getsockname()[1]
    s.close()
    # oscdump listens on the reply port (liblo binds the wildcard address: only loopback talks to it).
    dump = subprocess.Popen(["oscdump", "-L", str(reply)], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.2)
        script = tmp_path / "device.txt"
        script.write_text("\n".join([
            f"/jam/hello i {reply}",  # Max style int32
            "/jam/transport iff 1 0.0 240.0",
            "/jam/note iif 60 100 0.0",
            "/jam/note fff 64 100 0.5",  # Pd style float32 everywhere
            "/jam/set sf \"temperature\" 0.5",
            '/jam/set ss "voicing" "close"',
            "/jam/note fff 60.5 100 1.0",  # refused: not a whole pitch
            "/jam/ping i 9",
        ]) + "\n")
        subprocess.run(["oscsendfile", "127.0.0.1", str(bridge.port), str(script)], check=True)
        # Another socket on the same host (oscsend opens a fresh one per message) is not the client.
        subprocess.run(["oscsend", "127.0.0.1", str(bridge.port), "/jam/ping", "i", "10"], check=True)
        time.sleep(0.5)
    finally:
        dump.terminate()
        out, _ = dump.communicate(timeout=2)
    lines = [line.split(None, 1)[1] for line in out.splitlines() if line.strip()]
    assert any(l.startswith('/jam/ready ss "1" "tiny"') for l in lines), lines[:5]
    chords = [l for l in lines if l.startswith("/jam/chord ")]
    assert chords and all(re.match(r"/jam/chord iisi+ ", l) for l in chords)
    assert any(l.startswith('/jam/error ss "/jam/note" "pitch must be a whole number') for l in lines)
    assert any(l.startswith("/jam/pong i 9") for l in lines)
    assert not any(l.startswith("/jam/pong i 10") for l in lines)
    assert any(l.startswith('/jam/status ss "setting" "voicing=close"') for l in lines)
    assert any(l.startswith("/jam/status sf \"heartbeat\"") for l in lines)
    for l in lines:
        assert re.match(r"^/jam/[a-z]+ [ifs]+ ", l), l

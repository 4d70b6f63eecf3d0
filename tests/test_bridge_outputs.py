"""Outputs: audio follows the client's clock (onsets, tempo, stop); OSC messages are the documented ones."""
from types import SimpleNamespace

import numpy as np
from pythonosc.osc_message import OscMessage

from bridge.clock import Clock
from bridge.outputs import AudioOutput, OscOutput, chord_message
from bridge.session import ChordSend


class FakeSynth:
    def __init__(self):
        self.events = []  # (channel, "on"/"off", pitch)

    def program(self, ch, prog):
        self.events.append((ch, "program", prog))

    def note_on(self, ch, p, v):
        self.events.append((ch, "on", p))

    def note_off(self, ch, p):
        self.events.append((ch, "off", p))

    def all_notes_off(self, ch):
        self.events.append((ch, "all_off", None))

    def render(self, n):
        return np.zeros((n, 2), dtype=np.float32)

    def close(self):
        pass


class FakeStream:
    def __init__(self, callback):
        self.callback = callback

    def start(self):
        pass

    def stop(self):
        pass

    def close(self):
        pass


def block(out: AudioOutput, monkeypatch, at: float):
    """Run one audio block whose first sample is heard at monotonic time ``at``."""
    monkeypatch.setattr("bridge.outputs.time.monotonic", lambda: at)
    buf = np.empty((128, 2), dtype=np.float32)
    out._callback(buf, 128, SimpleNamespace(outputBufferDacTime=1.0, currentTime=1.0), None)


def test_audio_switches_chords_on_their_frames_and_stops_with_the_transport(monkeypatch):
    synth = FakeSynth()
    out = AudioOutput(synth, FakeStream, 44100)
    clock = Clock()
    clock.update(True, 0.0, 120.0, now=100.0)  # 1 frame = 0.125 s
    out.chords(0, ("127.0.0.1", 1), clock, [ChordSend(0, 4, "C", (48, 60, 64, 67)),
                                            ChordSend(4, 4, "G", (43, 59, 62, 67))], program=4)
    block(out, monkeypatch, 100.01)
    assert ("on", 60) in [(e[1], e[2]) for e in synth.events]
    n = len(synth.events)
    block(out, monkeypatch, 100.3)  # frame 2: still C
    assert len(synth.events) == n
    block(out, monkeypatch, 100.51)  # frame 4: G
    assert [(e[1], e[2]) for e in synth.events[n:]] == [("off", 48), ("off", 60), ("off", 64), ("off", 67),
                                                        ("on", 43), ("on", 59), ("on", 62), ("on", 67)]
    # A tempo change moves when frames sound: at 60 BPM frame 8 is 0.5 s after beat 1.
    clock.update(True, 1.0, 60.0, now=100.5)
    out.chords(0, ("127.0.0.1", 1), clock, [ChordSend(8, 4, None)], program=4)
    n = len(synth.events)
    block(out, monkeypatch, 100.9)  # beat 1.4 at 60 BPM: frame 5, nothing new
    assert len(synth.events) == n
    block(out, monkeypatch, 101.3)  # beat 1.8: frame 7 (at 120 BPM it would be frame 12): nothing new
    assert len(synth.events) == n
    block(out, monkeypatch, 101.51)  # beat 2.01: frame 8, rest
    assert all(e[1] == "off" for e in synth.events[n:]) and len(synth.events) > n
    # F from frame 9; then the transport stops: silence.
    out.chords(0, ("127.0.0.1", 1), clock, [ChordSend(9, 4, "F", (41, 57, 60, 65))], program=4)
    block(out, monkeypatch, 101.8)  # beat 2.3: frame 9
    assert (0, "on", 57) in synth.events
    n = len(synth.events)
    clock.update(False, 2.5, 60.0, now=102.0)
    block(out, monkeypatch, 103.5)
    assert sorted(e[2] for e in synth.events[n:] if e[1] == "off") == [41, 57, 60, 65]


def test_osc_output_sends_chord_and_nochord():
    sent = []
    out = OscOutput(lambda dest, data: sent.append((dest, data)) or True)
    out.chords(0, ("127.0.0.1", 7401), Clock(), [ChordSend(8, 2, "Am7", (45, 55, 60, 64)), ChordSend(10, 1, None)], 0)
    msgs = [OscMessage(d) for _, d in sent]
    assert [(m.address, m.params) for m in msgs] == [("/jam/chord", [8, 2, "Am7", 45, 55, 60, 64]),
                                                     ("/jam/nochord", [10])]

"""Ableton Live around a simulated Max for Live device: transport, Live API, MIDI in and out, parameters.

What the device sees of Live, modelled on Live's Object Model (LOM, ``live_set`` properties
``is_playing``, ``tempo``, ``loop``, ``loop_start``, ``loop_length``, ``signature_numerator``,
``signature_denominator``) and on Max for Live's reference pages (``live.thisdevice`` bangs once the
device is loaded and its parameters restored; ``live.observer`` reports the current value when bound and
then every change, on the low-priority queue; a tempo-relative ``metro`` runs only while the transport
plays, on its grid):

- ``Transport``: play, stop, seek, tempo, time signature and the loop brace; song position in beats
  from an anchor, wrapping at the loop end while the song is before it (as Live plays a loop);
- ``Live``: the scheduler every device shares, the 16th grid that drives tempo-relative metros, the
  Live API ids and observers, the network between the bridge and the devices (with optional random
  loss of bridge -> device datagrams, and a log of every datagram before the loss), and one
  ``MidiLog`` per device that records what its [midiout] plays;
- ``Device``: one loaded patch on a track, with its saved parameters restored before it starts.
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from max_patches.runtime import (Bangs, LiveControl, LiveObserver, MidiIn, NodeScript, Patch, Scheduler, TextEdit,
                                 Timer, UdpReceive, osc_decode)

GRID_BEATS = 0.25  # the 16th grid Live's tempo-relative objects follow here
LIVE_SET_ID = 1


class Transport:
    def __init__(self, live: "Live", bpm: float = 120.0, signature: tuple[int, int] = (4, 4)):
        self.live = live
        self.bpm = float(bpm)
        self.signature = signature
        self.playing = False
        self._beat = 0.0  # position at _t0
        self._t0 = 0.0
        self.loop_on = False
        self.loop_start = 0.0
        self.loop_length = 16.0

    @property
    def loop_end(self) -> float:
        return self.loop_start + self.loop_length

    def _linear(self, now: float) -> float:
        return self._beat + (now - self._t0) * self.bpm / 60.0 if self.playing else self._beat

    def position(self, now: float | None = None) -> float:
        now = self.live.sched.now() if now is None else now
        b = self._linear(now)
        if self.playing and self.loop_on and self._beat < self.loop_end <= b:
            b = self.loop_start + (b - self.loop_end) % self.loop_length
        return b

    def _rebase(self) -> None:
        now = self.live.sched.now()
        self._beat, self._t0 = self.position(now), now


@dataclass
class NoteEvent:
    t: float
    channel: int
    pitch: int
    velocity: int  # 0: note-off


@dataclass
class MidiLog:
    """What a device's [midiout] played: note-on/off events in time (raw bytes parsed)."""

    events: list[NoteEvent] = field(default_factory=list)
    _status: int = 0
    _data: list[int] = field(default_factory=list)

    def byte(self, t: float, b: int) -> None:
        if b >= 0x80:
            self._status, self._data = b, []
            return
        self._data.append(b)
        kind = self._status & 0xF0
        if kind in (0x80, 0x90) and len(self._data) == 2:
            pitch, vel = self._data
            self._data = []
            self.events.append(NoteEvent(t, (self._status & 0x0F) + 1, pitch, 0 if kind == 0x80 else vel))

    def sounding(self, t: float, channel: int) -> frozenset[int]:
        """Pitches held on ``channel`` just after time ``t``."""
        on: dict[int, int] = {}
        for e in self.events:
            if e.t > t:
                break
            if e.channel != channel:
                continue
            if e.velocity > 0:
                on[e.pitch] = on.get(e.pitch, 0) + 1
            elif on.get(e.pitch):
                on[e.pitch] -= 1
        return frozenset(p for p, n in on.items() if n > 0)

    def hanging(self) -> dict[tuple[int, int], int]:
        count: dict[tuple[int, int], int] = {}
        for e in self.events:
            k = (e.channel, e.pitch)
            count[k] = max(0, count.get(k, 0) + (1 if e.velocity > 0 else -1))
        return {k: n for k, n in count.items() if n}


class Live:
    """The host: one transport and scheduler for every device in the set."""

    def __init__(self, bpm: float = 120.0, signature: tuple[int, int] = (4, 4), virtual: bool = False,
                 drop: float = 0.0, seed: int = 0):
        self.sched = Scheduler(virtual=virtual)
        self.transport = Transport(self, bpm, signature)
        self.devices: list[Device] = []
        self.tempo_clients: list = []  # tempo-relative metros of every device
        # (time, beat, continuous) of every 16th the transport crossed; continuous: reached by playing on
        # from the previous one (a loop wrap included), not by a start or a seek
        self.grid: list[tuple[float, float, bool]] = []
        self._continuous = False
        self.loop_log: list[tuple[float, bool, float, float]] = [(0.0, False, 0.0, 16.0)]
        self._grid_timer: Timer | None = None
        self._observers: list[LiveObserver] = []
        self.drop = drop
        self._rng = random.Random(seed)
        self.wire: list[tuple[float, "Device", str, list]] = []  # every bridge -> device message, before loss
        self.dropped = 0
        self.node_replies: Callable[[Patch, list], list[list]] | None = None

    # ---------------------------------------------------------------- services the runtime calls
    def live_id(self, patch: Patch, path: str) -> int:
        if path == "live_set":
            return LIVE_SET_ID
        if path == "this_device":
            return self.device_of(patch).id
        raise KeyError(f"Live path {path!r} is not modelled")

    def device_of(self, patch: Patch) -> "Device":
        return next(d for d in self.devices if d.patch is patch)

    def observe(self, obs: LiveObserver) -> None:
        if obs.target != LIVE_SET_ID or obs.prop is None:
            return
        if obs not in self._observers:
            self._observers.append(obs)
        obs.notify(self._prop(obs.prop))

    def _prop(self, name: str):
        t = self.transport
        values = {"is_playing": int(t.playing), "tempo": float(t.bpm), "loop": int(t.loop_on),
                  "loop_start": float(t.loop_start), "loop_length": float(t.loop_length),
                  "signature_numerator": t.signature[0], "signature_denominator": t.signature[1],
                  "current_song_time": float(t.position())}
        if name not in values:
            raise KeyError(f"live_set property {name!r} is not modelled")
        return values[name]

    def _changed(self, *props: str) -> None:
        for obs in list(self._observers):
            if obs.prop in props and not obs.patch.closed:
                obs.notify(self._prop(obs.prop))

    def midi_out(self, patch: Patch, byte: int) -> None:
        self.device_of(patch).midi.byte(self.sched.now(), byte)

    def network_accepts(self, rx: UdpReceive, data: bytes) -> bool:
        """Bridge -> device datagrams: log them, then lose ``drop`` of them at random."""
        dev = self.device_of(rx.patch)
        t = self.sched.now()
        for address, args in osc_decode(data):
            self.wire.append((t, dev, address, args))
        if self.drop and self._rng.random() < self.drop:
            self.dropped += 1
            return False
        return True

    def node_reply(self, patch: Patch, atoms: list) -> list[list]:
        """node.script stand-in: ``start PORT`` answers ``status running PORT``; ``stop`` nothing."""
        if self.node_replies is not None:
            return self.node_replies(patch, atoms)
        if atoms[:1] == ["start"]:
            return [["status", "running", *atoms[1:]]]
        return []

    # ---------------------------------------------------------------- the grid
    def _schedule_grid(self, fire_now: bool = False) -> None:
        if self._grid_timer is not None:
            self._grid_timer.cancel()
            self._grid_timer = None
        t = self.transport
        if not t.playing:
            return
        now = self.sched.now()
        lin = t._linear(now)
        k = lin / GRID_BEATS
        nxt = round(k) if fire_now and abs(k - round(k)) < 0.01 else math.floor(k + 1e-9) + 1
        when = t._t0 + (nxt * GRID_BEATS - t._beat) * 60.0 / t.bpm
        self._grid_timer = self.sched.at(max(when, now), self._on_grid)

    def _on_grid(self) -> None:
        self._grid_timer = None
        beat = round(self.transport.position() / GRID_BEATS) * GRID_BEATS
        now = self.sched.now()
        self.grid.append((now, beat, self._continuous))
        self._continuous = True
        for m in list(self.tempo_clients):
            if not m.patch.closed:
                m.on_grid(beat)
        self._play_clips(now, beat)
        self._schedule_grid()

    def _play_clips(self, now: float, beat: float) -> None:
        """Each track's clip: the notes (and note-offs) that fall in the 16th starting here, at their time."""
        spb = 60.0 / self.transport.bpm
        t = self.transport
        for dev in self.devices:
            if dev.closed:
                continue
            for pitch, start, end, vel in dev.clip:
                if t.loop_on and start < t.loop_end:
                    end = min(end, t.loop_end - 1e-3)  # Live cuts a clip's note at the loop end
                for b, v in ((end, 0), (start, vel)):
                    if beat - 1e-9 <= b < beat + GRID_BEATS - 1e-9:
                        self.sched.at(now + (b - beat) * spb, lambda d=dev, p=pitch, v=v: d.note(p, v))

    # ---------------------------------------------------------------- what the producer does
    def play(self, beat: float | None = None) -> None:
        t = self.transport
        if beat is not None:
            t._beat = float(beat)
        t._t0 = self.sched.now()
        t.playing = True
        self._continuous = False
        self._changed("is_playing")
        self._schedule_grid(fire_now=True)

    def stop(self) -> None:
        t = self.transport
        t._rebase()
        t.playing = False
        self._schedule_grid()
        self._changed("is_playing")

    def seek(self, beat: float) -> None:
        t = self.transport
        t._beat, t._t0 = float(beat), self.sched.now()
        self._continuous = False
        self._schedule_grid(fire_now=True)

    def set_tempo(self, bpm: float) -> None:
        t = self.transport
        t._rebase()
        t.bpm = float(bpm)
        self._schedule_grid()
        self._changed("tempo")

    def set_loop(self, on: bool, start: float | None = None, length: float | None = None) -> None:
        t = self.transport
        t._rebase()
        t.loop_on = bool(on)
        if start is not None:
            t.loop_start = float(start)
        if length is not None:
            t.loop_length = float(length)
        self.loop_log.append((self.sched.now(), t.loop_on, t.loop_start, t.loop_length))
        self._schedule_grid()
        self._changed("loop", "loop_start", "loop_length")

    def set_signature(self, num: int, den: int) -> None:
        self.transport.signature = (int(num), int(den))
        self._changed("signature_numerator", "signature_denominator")

    def add_device(self, patch_json: dict[str, Any], device_id: int, saved: dict[str, float] | None = None) -> "Device":
        dev = Device(self, patch_json, device_id, saved)
        self.devices.append(dev)
        dev.start()
        return dev

    def loop_at(self, t: float) -> tuple[bool, float, float]:
        """Live's loop brace (on, start, length) at time ``t``."""
        state = self.loop_log[0][1:]
        for when, *rest in self.loop_log:
            if when <= t:
                state = tuple(rest)
        return state  # type: ignore[return-value]

    def run_for(self, seconds: float) -> None:
        self.sched.run_for(seconds)

    def run_until_beat(self, beat: float, timeout: float = 600.0) -> None:
        """Run until the transport (playing, not looping past it) reaches ``beat``."""
        t = self.transport
        now = self.sched.now()
        secs = (beat - t.position(now)) * 60.0 / t.bpm
        self.sched.run_until(now + max(0.0, min(secs, timeout)))

    def beats(self, n: float) -> None:
        """Run for ``n`` beats of song time at the current tempo."""
        self.run_for(n * 60.0 / self.transport.bpm)


class Device:
    """One Max for Live device on a track: its patch, its id in the Live API, its MIDI out."""

    def __init__(self, live: Live, patch_json: dict[str, Any], device_id: int, saved: dict[str, float] | None):
        self.live, self.id = live, device_id
        self.midi = MidiLog()
        self.clip: list[tuple[int, float, float, int]] = []  # (pitch, start, end, velocity) in beats
        self.fed: list[tuple[float, int, int]] = []  # (time, pitch, velocity) into [midiin]
        self.closed = False
        self.patch = Patch(patch_json, live, live.sched)
        for name, value in (saved or {}).items():  # Live restores the set's values before the device starts
            self.patch.control(name).restore(value)

    def start(self) -> None:
        for o in self.patch.of_class(Bangs):
            if o.box["text"] == "live.thisdevice":
                self.live.sched.defer(o.fire)

    def close(self) -> None:
        """The device is deleted or the set closes: freebang fires, then the objects go."""
        for o in self.patch.of_class(Bangs):
            if o.box["text"] == "freebang":
                o.fire()
        self.patch.closed = True
        self.closed = True
        self.patch.close()
        self.live.tempo_clients = [m for m in self.live.tempo_clients if m.patch is not self.patch]
        self.live._observers = [o for o in self.live._observers if o.patch is not self.patch]

    def note(self, pitch: int, velocity: int, channel: int = 1) -> None:
        """A MIDI note from the track's input into [midiin] (velocity 0: note-off)."""
        if self.closed:
            return
        self.fed.append((self.live.sched.now(), pitch, velocity))
        for m in self.patch.of_class(MidiIn):
            m.feed((0x90 | (channel - 1), pitch, velocity))

    def control(self, longname: str) -> LiveControl | TextEdit:
        return self.patch.control(longname)

    def saved_parameters(self) -> dict[str, float | str]:
        """What Live stores with the set: every parameter's value (live.* numbers, a text field's text)."""
        return {c.longname: c.value for c in self.patch.of_class(LiveControl) + self.patch.of_class(TextEdit)
                if c.is_parameter}

    def text(self, varname: str) -> str:
        """The text a comment box shows now (status line parts are named with ``varname``)."""
        for o in self.patch.objects.values():
            if o.box.get("varname") == varname:
                return getattr(o, "text", "")
        raise KeyError(varname)

    @property
    def node(self) -> NodeScript | None:
        found = self.patch.of_class(NodeScript)
        return found[0] if found else None


def load(path: str | Path) -> dict[str, Any]:
    """A patch from a ``.maxpat`` or the ``ptch`` chunk of an ``.amxd``."""
    path = Path(path)
    if path.suffix == ".amxd":
        from ableton.amxd import read_patch

        return read_patch(path)
    return json.loads(path.read_text(encoding="utf-8"))

"""Where committed chords go: OSC to the device (it plays them as MIDI), the bridge's own audio, or nowhere.

All outputs take the same call, ``chords(client_id, clock, sends, program)``, from the engine thread:

- ``OscOutput``: ``/jam/chord`` / ``/jam/nochord`` to the client's reply port (the ``midi`` mode);
- ``AudioOutput``: FluidSynth with a GM soundfont, played through sounddevice. The audio callback
  reads each client's transport model (``Clock.anchor``, an immutable snapshot) and switches chords
  when the song position crosses a committed onset, so audio follows tempo changes, seeks and stops;
- ``NullOutput``: accepts and drops (benchmarks, and audio asked for where no device exists).

``open_audio`` returns ``(NullOutput(), reason)`` when there is no audio device or no synthesizer: the daemon
says so once and keeps serving MIDI over OSC.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from bridge import protocol as P
from bridge.clock import Anchor, Clock, beat_at
from bridge.server import build
from bridge.session import ChordSend
from jamcore.music.render import RenderError, Synth
from jamcore.music.time import FRAMES_PER_BEAT

log = logging.getLogger("jamcore.bridge")


class ChordOutput(Protocol):
    def chords(self, client_id: int, dest: tuple[str, int], clock: Clock, sends: list[ChordSend],
               program: int) -> None: ...

    def forget(self, client_id: int) -> None: ...

    def close(self) -> None: ...


def chord_message(send: ChordSend) -> bytes:
    """The OSC datagram for one committed run."""
    if send.symbol is None:
        return build(P.NOCHORD, send.frame)
    return build(P.CHORD, send.frame, send.frames, send.symbol, *send.pitches)


class OscOutput:
    """Chords as OSC to the device, which stores them by frame and plays them as MIDI."""

    def __init__(self, send: Callable[[tuple[str, int], bytes], bool]):
        self._send = send
        self.sent = 0

    def chords(self, client_id, dest, clock, sends, program) -> None:
        for s in sends:
            self._send(dest, chord_message(s))
            self.sent += 1

    def forget(self, client_id: int) -> None:
        pass

    def close(self) -> None:
        pass


class NullOutput:
    """No output: what the daemon holds in place of audio when there is none (it never asks which)."""

    def chords(self, client_id, dest, clock, sends, program) -> None:
        pass

    def forget(self, client_id: int) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class _Track:
    """One client's chords in the audio output: onsets by song frame, and what sounds now."""

    channel: int
    clock: Clock
    program: int
    onsets: dict[int, tuple[int, ...]] = field(default_factory=dict)  # song frame -> pitches (() = rest)
    sounding: tuple[int, ...] = ()
    last_frame: int | None = None
    program_set: int | None = None


class AudioOutput:
    """Chords rendered by FluidSynth on the bridge's clock and played through sounddevice.

    Timing is block-accurate: blocks of ``blocksize`` samples (128 at 44.1 kHz = 2.9 ms), and each
    block is stamped with the time its first sample reaches the speaker (PortAudio's DAC time mapped
    to the monotonic clock), so chords land on the beat as far as the output latency is known.
    """

    VELOCITY = 80

    def __init__(self, synth, stream_factory, sample_rate: int, blocksize: int = 128):
        self.synth = synth
        self.sample_rate = sample_rate
        self.blocksize = blocksize
        self._tracks: dict[int, _Track] = {}
        self._lock = threading.Lock()
        self._free_channels = [c for c in range(16) if c != 9]  # 9 is GM drums
        self.stream = stream_factory(self._callback)
        self.stream.start()
        self.blocks = 0

    # engine thread
    def chords(self, client_id, dest, clock, sends, program) -> None:
        with self._lock:
            tr = self._tracks.get(client_id)
            if tr is None:
                if not self._free_channels:
                    return  # more than 15 audio clients: the rest stay on OSC only
                tr = self._tracks[client_id] = _Track(self._free_channels.pop(0), clock, program)
            tr.clock, tr.program = clock, program
            for s in sends:
                tr.onsets[s.frame] = s.pitches if s.symbol is not None else ()
            if len(tr.onsets) > 256:  # keep the recent past and the future only
                newest = max(tr.onsets)
                for f in [f for f in tr.onsets if f < newest - 128]:
                    del tr.onsets[f]

    def forget(self, client_id: int) -> None:
        with self._lock:
            tr = self._tracks.pop(client_id, None)
            if tr is not None:
                self.synth.all_notes_off(tr.channel)
                self._free_channels.append(tr.channel)

    # audio thread
    def _callback(self, outdata, frames, time_info, status) -> None:
        # When the first sample of this block will be heard, on the monotonic clock the clocks use.
        try:
            ahead = max(0.0, time_info.outputBufferDacTime - time_info.currentTime)
        except AttributeError:
            ahead = 0.0
        when = time.monotonic() + ahead
        with self._lock:
            for tr in self._tracks.values():
                self._update_track(tr, tr.clock.anchor, when)
        outdata[:] = self.synth.render(frames)
        self.blocks += 1

    def _update_track(self, tr: _Track, anchor: Anchor | None, when: float) -> None:
        if tr.program_set != tr.program:
            self.synth.program(tr.channel, tr.program)
            tr.program_set = tr.program
        if anchor is None or not anchor.playing:
            if tr.sounding:
                self._play(tr, ())
            tr.last_frame = None
            return
        frame = int(beat_at(anchor, when) * FRAMES_PER_BEAT)
        if frame == tr.last_frame:
            return
        lo = frame if tr.last_frame is None or frame < tr.last_frame else tr.last_frame + 1
        change = None
        for f in range(max(lo, frame - 64), frame + 1):  # the latest onset crossed in this block wins
            if f in tr.onsets:
                change = tr.onsets[f]
        tr.last_frame = frame
        if change is not None and change != tr.sounding:
            self._play(tr, change)

    def _play(self, tr: _Track, pitches: tuple[int, ...]) -> None:
        for p in tr.sounding:
            self.synth.note_off(tr.channel, p)
        for p in pitches:
            self.synth.note_on(tr.channel, p, self.VELOCITY)
        tr.sounding = pitches

    def close(self) -> None:
        try:
            self.stream.stop()
            self.stream.close()
        finally:
            self.synth.close()


def open_audio(soundfont: str | None = None, sample_rate: int = 44100) -> tuple[ChordOutput, str]:
    """``(AudioOutput on the default device, "ok")``, or ``(NullOutput(), why not)``."""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as exc:
        return NullOutput(), f"sounddevice/PortAudio unavailable ({exc})"
    try:
        synth = Synth(soundfont, sample_rate)
    except RenderError as exc:
        return NullOutput(), str(exc)

    def factory(callback):
        return sd.OutputStream(samplerate=sample_rate, channels=2, dtype="float32", blocksize=128,
                               latency="low", callback=callback)

    try:
        return AudioOutput(synth, factory, sample_rate), "ok"
    except Exception as exc:  # PortAudioError and friends: no device, busy device, bad config
        synth.close()
        return NullOutput(), f"no audio output device ({exc})"

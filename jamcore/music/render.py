"""Melody notes and voiced chords -> audio through FluidSynth and a General MIDI soundfont.

- ``Synth``: a thin wrapper over one FluidSynth instance (soundfont, programs per channel, note on/off,
  ``render(n)`` -> float32 stereo). The bridge's live audio output drives one from its clock.
- ``render(melody, chords, bpm)``: an offline render of a whole piece, melody and chords on separate
  instruments, as a float32 ``[samples, 2]`` array in -1..1.
- ``write_wav(path, audio, sample_rate)``: 16-bit stereo WAV (standard library ``wave``);
  ``render_wav(path, melody, chords, bpm)`` does both.

Chords are ``VoicedChord``s or plain ``(start_beat, end_beat, pitches)`` tuples.

Soundfont: ``find_soundfont()`` takes an explicit path, else ``$JAMCORE_SOUNDFONT``, else Debian's
FluidR3_GM (the default, 148 MB), else the small TimGM6mb (tests use it: it loads in milliseconds).
"""
from __future__ import annotations

import os
import wave
from pathlib import Path
from typing import Sequence

import numpy as np

from jamcore.errors import JamcoreError
from jamcore.music.song import Note
from jamcore.music.time import beats_to_seconds
from jamcore.music.voicing import VoicedChord

DEFAULT_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SMALL_SOUNDFONT = Path("/usr/share/sounds/sf2/TimGM6mb.sf2")
DEFAULT_SAMPLE_RATE = 44100
MELODY_PROGRAM = 73  # GM flute: a clear line that sits apart from the chords
CHORD_PROGRAM = 4  # GM electric piano 1
MELODY_CHANNEL = 0
CHORD_CHANNEL = 1
CHORD_VELOCITY = 72


class RenderError(JamcoreError, RuntimeError):
    """No usable soundfont or synthesizer (a user-facing, one-line problem)."""


def find_soundfont(path: str | os.PathLike | None = None) -> Path:
    """The soundfont to use: ``path``, ``$JAMCORE_SOUNDFONT``, FluidR3_GM, TimGM6mb, in that order."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise RenderError(f"soundfont not found: {p}")
        return p
    env = os.environ.get("JAMCORE_SOUNDFONT")
    for p in ([Path(env)] if env else []) + [DEFAULT_SOUNDFONT, SMALL_SOUNDFONT]:
        if p.is_file():
            return p
    raise RenderError("no General MIDI soundfont found: install fluid-soundfont-gm or pass --soundfont")


class Synth:
    """One FluidSynth instance with a soundfont loaded; channels get GM programs by ``program``."""

    def __init__(self, soundfont: str | os.PathLike | None = None, sample_rate: int = DEFAULT_SAMPLE_RATE,
                 gain: float = 0.5):
        try:
            import fluidsynth  # imported here: rendering is optional, the rest of jamcore is not
        except (ImportError, OSError) as exc:  # OSError: libfluidsynth missing under pyfluidsynth
            raise RenderError(f"FluidSynth is not available ({exc})") from exc
        self.sample_rate = int(sample_rate)
        self.soundfont = find_soundfont(soundfont)
        self._fs = fluidsynth.Synth(gain=gain, samplerate=float(self.sample_rate))
        self._sfid = self._fs.sfload(str(self.soundfont))
        if self._sfid < 0:
            raise RenderError(f"FluidSynth could not load soundfont {self.soundfont}")

    def program(self, channel: int, program: int) -> None:
        """Select GM ``program`` (0-127) on ``channel`` (bank 0)."""
        self._fs.program_select(channel, self._sfid, 0, int(program))

    def note_on(self, channel: int, pitch: int, velocity: int) -> None:
        self._fs.noteon(channel, int(pitch), int(velocity))

    def note_off(self, channel: int, pitch: int) -> None:
        self._fs.noteoff(channel, int(pitch))

    def all_notes_off(self, channel: int) -> None:
        self._fs.all_notes_off(channel)

    def render(self, n: int) -> np.ndarray:
        """The next ``n`` sample frames as float32 ``[n, 2]`` in -1..1."""
        if n <= 0:
            return np.zeros((0, 2), dtype=np.float32)
        s16 = np.asarray(self._fs.get_samples(n), dtype=np.int16).reshape(-1, 2)
        return s16.astype(np.float32) / 32768.0

    def close(self) -> None:
        self._fs.delete()


ChordLike = VoicedChord | tuple


def _chord_parts(c: ChordLike) -> tuple[float, float, Sequence[int]]:
    if isinstance(c, VoicedChord):
        return c.start, c.end, c.pitches
    start, end, pitches = c[:3]
    return float(start), float(end), pitches


def _events(melody: Sequence[Note], chords: Sequence[ChordLike], bpm: float) -> list[tuple]:
    """(seconds, order, on, channel, pitch, velocity), note-offs before note-ons at equal times."""
    ev = []
    for n in melody:
        if n.end <= n.start:
            continue
        ev.append((beats_to_seconds(n.start, bpm), 1, True, MELODY_CHANNEL, n.pitch, n.velocity))
        ev.append((beats_to_seconds(n.end, bpm), 0, False, MELODY_CHANNEL, n.pitch, 0))
    for c in chords:
        start, end, pitches = _chord_parts(c)
        if end <= start:
            continue
        for p in pitches:
            ev.append((beats_to_seconds(start, bpm), 1, True, CHORD_CHANNEL, int(p), CHORD_VELOCITY))
            ev.append((beats_to_seconds(end, bpm), 0, False, CHORD_CHANNEL, int(p), 0))
    ev.sort(key=lambda e: (e[0], e[1]))
    return ev


def render(melody: Sequence[Note], chords: Sequence[ChordLike], bpm: float, *,
           soundfont: str | os.PathLike | None = None, sample_rate: int = DEFAULT_SAMPLE_RATE,
           melody_program: int = MELODY_PROGRAM, chord_program: int = CHORD_PROGRAM,
           tail_seconds: float = 1.5) -> np.ndarray:
    """Render melody notes and voiced chords (times in beats at ``bpm``) to float32 stereo audio."""
    if bpm <= 0:
        raise ValueError(f"bpm must be positive, got {bpm}")
    synth = Synth(soundfont, sample_rate)
    try:
        synth.program(MELODY_CHANNEL, melody_program)
        synth.program(CHORD_CHANNEL, chord_program)
        chunks = []
        pos = 0  # samples rendered so far
        for t, _, on, ch, pitch, vel in _events(melody, chords, bpm):
            at = int(round(t * sample_rate))
            if at > pos:
                chunks.append(synth.render(at - pos))
                pos = at
            if on:
                synth.note_on(ch, pitch, vel)
            else:
                synth.note_off(ch, pitch)
        chunks.append(synth.render(int(tail_seconds * sample_rate)))
        return np.concatenate(chunks) if chunks else np.zeros((0, 2), dtype=np.float32)
    finally:
        synth.close()


def write_wav(path: str | os.PathLike, audio: np.ndarray, sample_rate: int = DEFAULT_SAMPLE_RATE) -> None:
    """Write float audio (``[n]`` mono or ``[n, 2]`` stereo, -1..1) as a 16-bit PCM WAV."""
    a = np.asarray(audio, dtype=np.float32)
    if a.ndim == 1:
        a = a[:, None]
    pcm = (np.clip(a, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())


def render_wav(path: str | os.PathLike, melody: Sequence[Note], chords: Sequence[ChordLike], bpm: float, *,
               soundfont: str | os.PathLike | None = None, sample_rate: int = DEFAULT_SAMPLE_RATE,
               **kwargs) -> np.ndarray:
    """``render`` then ``write_wav``; returns the audio (float32 ``[samples, 2]``)."""
    audio = render(melody, chords, bpm, soundfont=soundfont, sample_rate=sample_rate, **kwargs)
    write_wav(path, audio, sample_rate)
    return audio

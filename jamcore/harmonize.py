"""`jamcore harmonize`: a melody file in, chords out, computed exactly as live.

The streaming policy walks the melody frame by frame: the chord for frame t is sampled from melody
frames before t only (it never looks ahead), then frame t's real melody token is pushed. The chords
are voiced with the same voice-leading code the bridge uses and written as a type-1 MIDI file (track
0 the melody as given, track 1 ``chords``), optionally as JSON and as a WAV rendered with FluidSynth.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_POLICY, DEFAULT_TEMPERATURE, load_policy_weights
from jamcore.errors import CommandError
from jamcore.eval import metrics as M
from jamcore.eval.metrics import chord_chase, note_in_chord
from jamcore.forecast import DEFAULT_FORECAST
from jamcore.lean_options import add_lean_arguments, check_lean_arguments
from jamcore.music.grid import DEFAULT_GRID, GRIDS
from jamcore.recall import DEFAULT_RECALL
from jamcore.music.midi_io import load_user_melody, write_harmonized_midi
from jamcore.music.render import render_wav
from jamcore.music.time import FRAMES_PER_BEAT, frame_to_beat, note_frame
from jamcore.music.voicing import Voicer
from jamcore.stream import LISTEN_BEATS, StreamingPolicy, play


def add_arguments(parser) -> None:
    parser.add_argument("input", help="melody file: MIDI (.mid) or MusicXML (.xml, .musicxml, .mxl)")
    parser.add_argument("--out", required=True, help="output MIDI file (melody + chords track)")
    parser.add_argument("--wav", default=None, help="also render audio to this WAV file (FluidSynth, GM soundfont)")
    parser.add_argument("--json", default=None,
                        help="also write the chords (frame, frames, symbol, pitches), the settings and the "
                             "harmony and harmonic-rhythm figures (docs/metrics.md) as JSON")
    parser.add_argument("--checkpoint", default=DEFAULT_POLICY, help=f"policy checkpoint name or path (default: {DEFAULT_POLICY})")
    parser.add_argument("--checkpoint-dir", default=None, help="directory to look for --checkpoint in")
    parser.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE,
                        help=f"sampling temperature (0 = greedy; default {DEFAULT_TEMPERATURE:g})")
    parser.add_argument("--top-p", type=float, default=1.0, help="nucleus sampling mass (default 1.0)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--listen-beats", type=float, default=LISTEN_BEATS,
                        help=f"beats to listen after the first note before the first chord, as live "
                             f"(default {LISTEN_BEATS:g})")
    parser.add_argument("--soundfont", default=None, help="soundfont for --wav (default: FluidR3_GM)")
    parser.add_argument("--grid", default=DEFAULT_GRID, choices=GRIDS,
                        help=f"where chords may change: every 16th, on beats, on half bars or on bar lines "
                             f"(default {DEFAULT_GRID})")
    add_lean_arguments(parser)


@dataclass
class Harmonization:
    melody_tokens: list[int]
    chord_tokens: list[int]
    events: list[dict]  # frame, frames, symbol, pitches
    bpm: float


def chord_events_with_voicing(chord_tokens) -> list[dict]:
    """Chord runs with voiced pitches (voice-led from one chord to the next)."""
    voicer = Voicer()
    events = []
    for start, length, chord in T.chord_events(chord_tokens):
        if chord is None:
            voicer.reset()
            continue
        pitches = voicer.voice(chord)
        events.append({"frame": start, "frames": length, "symbol": chord.symbol, "pitches": list(pitches)})
    return events


def harmonize_file(path: str | Path, checkpoint: str = DEFAULT_POLICY, checkpoint_dir=None,
                   temperature: float = DEFAULT_TEMPERATURE,
                   top_p: float = 1.0, seed: int = 0, listen_beats: float = LISTEN_BEATS,
                   grid: str = DEFAULT_GRID, recall: float = DEFAULT_RECALL,
                   forecast: float = DEFAULT_FORECAST) -> tuple[Harmonization, object, dict]:
    """Harmonize a melody file as live (``jamcore.stream.play``); returns (result, song, import report)."""
    song, report = load_user_melody(path)
    model, _ = load_policy_weights(checkpoint, checkpoint_dir)
    end = max(n.end for n in song.melody)
    n_frames = note_frame(end)  # where the last note's release lands (as the bridge hears it)
    n_frames = -(-n_frames // FRAMES_PER_BEAT) * FRAMES_PER_BEAT  # to the end of the beat
    melody_tokens = [int(t) for t in T.encode_performance(song.melody, n_frames)]
    stream = StreamingPolicy(model, beats_per_bar=song.meter.beats_per_bar,  # the file's first time signature
                             grid=grid)
    chords = play(stream, melody_tokens, temperature, top_p, np.random.default_rng(seed), listen_beats, recall,
                  forecast)
    result = Harmonization(melody_tokens, chords, chord_events_with_voicing(chords), song.tempo_bpm)
    return result, song, report


def rhythm_figures(melody_tokens, chord_tokens, beats_per_bar: float) -> dict:
    """Harmony and harmonic-rhythm figures of one harmonization (``--json``; NaN written as null).

    The onset-gap histogram is the input of the synchronisation EMD: with no chords of the data to
    compare with, a melody file gets the histogram, and ``jamcore eval`` the EMD."""
    song = M.song_metrics(melody_tokens, chord_tokens, beats_per_bar)
    keys = ("nic", "nic_beat_late", "lateness", "chase_share", "with_note_share", "on_beat_share", "on_bar_share",
            "changes_per_bar", "related_change_share", "chord_beats", "rhythm_diversity", "entropy", "distinct_chords")
    out = {k: (None if math.isnan(song[k]) else song[k]) for k in keys}
    out["onset_gap_histogram"] = M.onset_gap_histogram(np.asarray(melody_tokens), np.asarray(chord_tokens)).tolist()
    return out


def run(args) -> int:
    if not Path(args.input).is_file():
        raise CommandError(f"{args.input}: no such file")
    if args.temperature < 0:
        raise CommandError("--temperature must be >= 0")
    check_lean_arguments(args)
    if not 0 <= args.listen_beats <= 64:
        raise CommandError("--listen-beats must be in 0..64")
    result, song, report = harmonize_file(args.input, args.checkpoint, args.checkpoint_dir, args.temperature,
                                          args.top_p, args.seed, args.listen_beats, args.grid,
                                          args.recall, args.forecast)

    voiced = [(frame_to_beat(e["frame"]), frame_to_beat(e["frame"] + e["frames"]), e["pitches"])
              for e in result.events]
    write_harmonized_midi(args.out, song.melody, voiced, song.tempo_bpm)
    if args.json:
        settings = {"checkpoint": args.checkpoint, "temperature": args.temperature, "top_p": args.top_p,
                    "seed": args.seed, "listen_beats": args.listen_beats, "grid": args.grid, "recall": args.recall, "forecast": args.forecast,
                    "beats_per_bar": song.meter.beats_per_bar, "bpm": song.tempo_bpm}
        figures = rhythm_figures(result.melody_tokens, result.chord_tokens, song.meter.beats_per_bar)
        doc = {"chords": result.events, "settings": settings, "metrics": figures}
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
    if args.wav:
        render_wav(args.wav, song.melody, voiced, song.tempo_bpm, soundfont=args.soundfont)
    nic = note_in_chord(result.melody_tokens, result.chord_tokens).ratio  # frames with a chord and a note
    chart = " | ".join(e["symbol"] for e in result.events[:16])
    chase = chord_chase(result.melody_tokens, result.chord_tokens)
    print(f"{len(result.events)} chords over {len(result.melody_tokens) // 4} beats at {song.tempo_bpm:.0f} BPM; "
          f"note-in-chord {nic:.2f}; {chase.chase_share:.0%} of changes chase a note (grid {args.grid})")
    print(f"chart: {chart}{' ...' if len(result.events) > 16 else ''}")
    print(f"melody: {report.summary()}")
    print(f"wrote {args.out}" + (f", {args.json}" if args.json else "") + (f", {args.wav}" if args.wav else ""))
    return 0

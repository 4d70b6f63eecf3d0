"""`jamcore demo`: hear the product without Ableton, in one command.

Starts the daemon (in this process, on a free loopback port), plays the bundled melody into it over
real OSC at its tempo from a stand-in device (``bridge.client``), collects the chords exactly as the
device would store them, then writes ``demo.mid`` (melody + chords tracks) and ``demo.wav`` (FluidSynth)
and prints the chord chart with how often the melody lands on a chord tone.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from bridge import protocol as P
from bridge.client import JamClient
from bridge.daemon import Bridge
from bridge.session import Session, Settings
from jamcore.checkpoints import DEFAULT_POLICY, DEFAULT_TEMPERATURE
from jamcore.music.grid import DEFAULT_GRID, GRIDS
from jamcore.music.midi_io import load_user_melody, write_harmonized_midi
from jamcore.music.render import render_wav
from jamcore.music.time import note_frame
from jamcore.forecast import DEFAULT_FORECAST
from jamcore.lean_options import add_lean_arguments, check_lean_arguments
from jamcore.recall import DEFAULT_RECALL

ASSET = Path(__file__).resolve().parents[1] / "jamcore" / "assets" / "demo_melody.mid"


def add_arguments(parser) -> None:
    parser.add_argument("--melody", default=str(ASSET), help="melody file to play (default: the bundled tune)")
    parser.add_argument("--out-dir", default=".", help="where demo.mid and demo.wav go (default: here)")
    parser.add_argument("--checkpoint", default=DEFAULT_POLICY, help=f"policy checkpoint (default: {DEFAULT_POLICY})")
    parser.add_argument("--checkpoint-dir", default=None, help="directory to look for --checkpoint in")
    parser.add_argument("--bpm", type=float, default=None,
                        help="play into the daemon at this tempo (default: the file's; the files keep the file's)")
    parser.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE,
                        help=f"sampling temperature (default {DEFAULT_TEMPERATURE:g})")
    parser.add_argument("--lookahead-beats", type=float, default=2.0, help="plan length (default 2)")
    parser.add_argument("--commit-beats", type=float, default=1.0, help="commit distance (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--soundfont", default=None, help="GM soundfont for demo.wav (default: FluidR3_GM)")
    parser.add_argument("--no-wav", action="store_true", help="skip the audio render")
    parser.add_argument("--grid", default=DEFAULT_GRID, choices=GRIDS,
                        help=f"where chords may change: every 16th, beat, half bar or bar (default {DEFAULT_GRID})")
    add_lean_arguments(parser)


@dataclass
class DemoResult:
    bpm: float
    frames: int
    events: list[tuple[float, float, tuple[int, ...], str]]  # start beat, end beat, pitches, symbol
    note_in_chord: float
    chart: str
    midi_path: Path
    wav_path: Path | None


def play(client, notes, bpm: float, end_beat: float) -> None:
    """Send transport on every beat and each note on/off at its time, in real time."""
    spb = 60.0 / bpm
    events = []  # (beat, order, kind, args)
    for b in range(int(end_beat) + 1):
        events.append((float(b), 0, "transport", (True, float(b), bpm)))
    for n in notes:
        events.append((n.start, 2, "note", (n.pitch, n.velocity, n.start)))
        events.append((n.end, 1, "note", (n.pitch, 0, n.end)))
    events.sort(key=lambda e: (e[0], e[1]))
    t0 = time.monotonic() + 0.05
    for beat, _, kind, args in events:
        time.sleep(max(0.0, t0 + beat * spb - time.monotonic()))
        if kind == "transport":
            client.transport(*args)
        else:
            client.note(*args)
    time.sleep(spb)
    client.transport(False, end_beat, bpm)


def chords_as_heard(client, n_frames: int) -> list[tuple[int, int, tuple[int, ...], str]]:
    """The chord runs the device would play, from what it stored by frame: (frame, frames, pitches, symbol)."""
    runs: list[tuple[int, int, tuple[int, ...], str]] = []
    current = None
    for f in range(n_frames):
        sc = client.chords.get(f)
        if sc is not None:  # an onset (or a re-sent run start) here
            current = (f, sc) if sc.symbol is not None else None
            if current is not None:
                runs.append((f, 1, sc.pitches, sc.symbol))
            continue
        if current is not None and f < current[0] + current[1].frames:
            s, n, p, sym = runs[-1]
            runs[-1] = (s, n + 1, p, sym)
        else:
            current = None
    return runs


def note_in_chord(notes, events) -> float:
    """Share of melody time (in 16ths) sounding over a chord in which the melody note is a chord tone."""
    spans = [(note_frame(n.start), max(note_frame(n.end), note_frame(n.start) + 1), n.pitch % 12) for n in notes]
    n_frames = max((f1 for _, f1, _ in spans), default=0)
    # The pitch classes sounding at each frame (frame f at beat f/4: start <= f/4 < end); the first event wins.
    sounding: list[set[int] | None] = [None] * n_frames
    for start, end, pitches, *_ in reversed(events):
        for f in range(max(math.ceil(start * 4), 0), min(math.ceil(end * 4), n_frames)):
            sounding[f] = {p % 12 for p in pitches}
    hits = total = 0
    for f0, f1, pc in spans:  # the frames the bridge heard each note on (none before the song's start)
        for f in range(max(f0, 0), f1):
            if sounding[f] is not None:
                total += 1
                hits += pc in sounding[f]
    return hits / total if total else float("nan")


def chart(events, end_beat: float, beats_per_bar: int = 4, bars_per_line: int = 4) -> str:
    """A lead-sheet style chart: one cell per beat, the chord symbol where a chord starts."""
    cells = ["."] * int(end_beat + 0.999)
    for start, _, _, symbol in events:
        b = int(start)
        if b < len(cells):
            cells[b] = symbol if cells[b] == "." else cells[b]
    width = max([len(c) for c in cells] + [2])
    bars = [" ".join(c.ljust(width) for c in cells[i:i + beats_per_bar]) for i in range(0, len(cells), beats_per_bar)]
    lines = []
    for i in range(0, len(bars), bars_per_line):
        lines.append(f"{i + 1:>3} | " + " | ".join(bars[i:i + bars_per_line]) + " |")
    return "\n".join(lines)


def simulate_session(notes, policy, settings=None, seed: int = 0, bpm: float = 120.0,
                     end_beat: float | None = None) -> list[int]:
    """The live loop on simulated time, no sockets: transport each beat, notes as they happen, the session
    stepped mid-frame. Returns the committed chord token of every frame. (Tests and evaluation use it to
    judge the bridge's music without waiting for real time.)"""
    s = Session(policy, "sim", settings or Settings(), seed=seed)
    end_beat = end_beat if end_beat is not None else max(n.end for n in notes)
    spf = 60.0 / bpm / 4
    events = sorted([(n.start, 1, n.pitch, n.velocity) for n in notes] + [(n.end, 0, n.pitch, 0) for n in notes])
    i = 0
    n_frames = int(end_beat * 4)
    for f in range(n_frames):
        t = f * spf
        if f % 4 == 0:
            s.on_transport(True, f / 4, bpm, t)
        while i < len(events) and events[i][0] < (f + 0.5) / 4:  # what has happened by the step
            beat, _, pitch, velocity = events[i]
            s.on_note(pitch, velocity, beat, arrival=t)
            i += 1
        s.step(t + 0.5 * spf)
    return s.committed[:n_frames]


def run_demo(melody: str | Path = ASSET, out_dir: str | Path = ".", checkpoint: str = DEFAULT_POLICY,
             checkpoint_dir: str | None = None, bpm: float | None = None, temperature: float = DEFAULT_TEMPERATURE,
             lookahead_beats: float = 2.0, commit_beats: float = 1.0, seed: int = 0, soundfont: str | None = None,
             wav: bool = True, log=print, grid: str = DEFAULT_GRID, recall: float = DEFAULT_RECALL,
             forecast: float = DEFAULT_FORECAST) -> DemoResult:
    song, report = load_user_melody(melody)
    bpm = float(bpm or song.tempo_bpm)
    end_beat = float(int(song.length_beats + 0.999))
    settings = Settings(temperature=temperature, lookahead_beats=lookahead_beats, commit_beats=commit_beats, grid=grid,
                        recall=recall, forecast=forecast)
    bridge = Bridge(P.DEFAULT_HOST, 0, checkpoint, checkpoint_dir, "midi", seed=seed, settings=settings)
    bridge.start_thread()
    log(f"daemon on {P.DEFAULT_HOST}:{bridge.port} playing {checkpoint!r}; {report.summary()}")
    log(f"playing {end_beat:g} beats at {bpm:g} BPM over OSC ({end_beat * 60 / bpm:.0f} s)...")
    try:
        with JamClient(P.DEFAULT_HOST, bridge.port) as client:
            client.hello()
            play(client, song.melody, bpm, end_beat)
            client.send(P.BYE.path)
            n_frames = int(end_beat * 4)
            runs = chords_as_heard(client, n_frames)
    finally:
        bridge.stop()
    events = [(f / 4, (f + n) / 4, pitches, sym) for f, n, pitches, sym in runs]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Written at the tune's own tempo: chords live in beats, so a fast rehearsal (--bpm) sounds the same.
    midi_path = out / "demo.mid"
    write_harmonized_midi(midi_path, song.melody, [(s, e, list(p)) for s, e, p, _ in events], song.tempo_bpm)
    wav_path = None
    if wav:
        wav_path = out / "demo.wav"
        render_wav(wav_path, song.melody, [(s, e, p) for s, e, p, _ in events], song.tempo_bpm, soundfont=soundfont)
    nic = note_in_chord(song.melody, events)
    return DemoResult(bpm, n_frames, events, nic, chart(events, end_beat), midi_path, wav_path)


def run(args) -> int:
    check_lean_arguments(args)
    res = run_demo(args.melody, args.out_dir, args.checkpoint, args.checkpoint_dir, args.bpm, args.temperature,
                   args.lookahead_beats, args.commit_beats, args.seed, args.soundfont, not args.no_wav,
                   grid=args.grid, recall=args.recall, forecast=args.forecast)
    print(res.chart)
    print(f"{len(res.events)} chords; melody on a chord tone {100 * res.note_in_chord:.0f}% of the time")
    print(f"wrote {res.midi_path}" + (f" and {res.wav_path}" if res.wav_path else ""))
    return 0

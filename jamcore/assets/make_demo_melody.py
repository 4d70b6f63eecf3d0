"""Write ``demo_melody.mid``, the melody ``jamcore demo`` plays: "Ode to Joy" (Beethoven, 1824; public
domain), written out by hand below, in D major at 100 BPM after one bar of count-in.

Run ``python -m jamcore.assets.make_demo_melody`` to regenerate the file (it is committed).
"""
from __future__ import annotations

from pathlib import Path

from jamcore.music.midi_io import write_harmonized_midi
from jamcore.music.song import Note

BPM = 100.0
COUNT_IN_BEATS = 4.0
D, E, Fs, G, A, A3 = 62, 64, 66, 67, 69, 57

# (pitch, beats) bar by bar: the theme, its answer, the bridge, the theme again.
_A = [(Fs, 1), (Fs, 1), (G, 1), (A, 1), (A, 1), (G, 1), (Fs, 1), (E, 1), (D, 1), (D, 1), (E, 1), (Fs, 1)]
TUNE: list[tuple[int, float]] = (
    _A + [(Fs, 1.5), (E, 0.5), (E, 2)]
    + _A + [(E, 1.5), (D, 0.5), (D, 2)]
    + [(E, 1), (E, 1), (Fs, 1), (D, 1), (E, 1), (Fs, 0.5), (G, 0.5), (Fs, 1), (D, 1),
       (E, 1), (Fs, 0.5), (G, 0.5), (Fs, 1), (E, 1), (D, 1), (E, 1), (A3, 2)]
    + _A + [(E, 1.5), (D, 0.5), (D, 2)]
)

PATH = Path(__file__).resolve().parent / "demo_melody.mid"


def notes() -> list[Note]:
    """The tune as notes in beats; each note a little detached (95 %), as a player would."""
    out, t = [], COUNT_IN_BEATS
    for pitch, beats in TUNE:
        out.append(Note(pitch, t, t + 0.95 * beats, 96))
        t += beats
    return out


def main() -> None:
    write_harmonized_midi(PATH, notes(), [], BPM)
    print(f"wrote {PATH} ({len(TUNE)} notes, {sum(b for _, b in TUNE):g} beats at {BPM:g} BPM)")


if __name__ == "__main__":
    main()

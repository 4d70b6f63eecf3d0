"""Corpus statistics: per-source counts, chord coverage, note-in-chord rate, and the stats figure.

These are sanity checks on the data pipeline (is a chord on the right beat?), computed from the token
arrays so they check exactly what the models will see.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib
import numpy as np

from jamcore.music.chords import PITCH_NAMES, QUALITIES
from jamcore.tokens import (
    CHORD_HOLD_BASE, CHORD_ON_BASE, N_CHORDS, NO_CHORD, SILENCE, TOKEN_CHORD_PCS, TOKEN_PITCH,
)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)


def note_in_chord(melody: np.ndarray, chords: np.ndarray) -> tuple[int, int]:
    """(frames whose melody pitch class is in the chord, frames with both a note and a chord).

    Chord tones are ~60-75% of melody frames in pop and folk; a chord track one beat off drops that
    noticeably, which is what makes this a useful alignment check.
    """
    both = (melody != SILENCE) & (chords != NO_CHORD)
    pcs = TOKEN_PITCH[melody[both]].astype(np.int64) % 12
    hits = TOKEN_CHORD_PCS[chords[both], pcs]
    return int(hits.sum()), int(both.sum())


def chord_onset_counts(chords: np.ndarray) -> np.ndarray:
    """Count of CHORD_ON tokens per chord index (ALL_CHORDS order: root-major, quality-minor)."""
    ons = chords[(chords >= CHORD_ON_BASE) & (chords < CHORD_HOLD_BASE)].astype(np.int64) - CHORD_ON_BASE
    return np.bincount(ons, minlength=N_CHORDS)


def source_summary(source_stats: dict) -> str:
    """One printable block per source."""
    s = source_stats
    lines = [
        f"{s['source']}: {s['parsed']} parsed, {s['skipped']} skipped, {s['frames']:,} frames "
        f"({s['frames'] / 4 / 60:.0f} min at 60 BPM)",
    ]
    reasons = sorted(s["skip_reasons"].items(), key=lambda kv: -kv[1])
    for reason, n in reasons[:5]:
        lines.append(f"  skipped {n}: {reason}")
    if len(reasons) > 5:
        lines.append(f"  ... and {sum(n for _, n in reasons[5:])} more skipped (all listed in stats.json)")
    if s.get("chord_sources"):
        lines.append("  chord sources: " + ", ".join(f"{k} {v}" for k, v in sorted(s["chord_sources"].items())))
    if s["chord_coverage"] is None:
        lines.append(f"  chord vocabulary coverage: not reported by the reader ({s['n_chords']:,} chords)")
    else:
        lines.append(
            f"  chord vocabulary coverage: {s['chord_coverage']:.1%} of {s['n_chords']:,} chords named exactly "
            f"(the rest folded to the nearest listed quality)"
        )
    unknown = s["unknown_labels"]
    lines.append(
        f"  unknown labels: {sum(unknown.values())} spans in {len(unknown)} kinds (made no-chord)"
        + ("" if not unknown else ": " + ", ".join(f"{k} x{v}" for k, v in Counter(unknown).most_common(6)))
    )
    lines.append(f"  note-in-chord rate: {s['note_in_chord']:.3f}; no-chord frames {s['no_chord_share']:.1%}")
    lines.append("  split: " + ", ".join(f"{k} {v}" for k, v in s["splits"].items()))
    return "\n".join(lines)


def plot_stats(onsets_by_source: dict[str, np.ndarray], path: Path) -> None:
    """Chord-quality and root distributions per source (chord onsets), as a PNG."""
    fig, (ax_q, ax_r) = plt.subplots(1, 2, figsize=(13, 4.5))
    names = sorted(onsets_by_source)
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        grid = onsets_by_source[name].reshape(12, len(QUALITIES))
        total = max(grid.sum(), 1)
        x_q = np.arange(len(QUALITIES)) + i * width
        x_r = np.arange(12) + i * width
        ax_q.bar(x_q, grid.sum(axis=0) / total, width, label=name)
        ax_r.bar(x_r, grid.sum(axis=1) / total, width, label=name)
    ax_q.set_xticks(np.arange(len(QUALITIES)) + 0.4 - width / 2, QUALITIES, rotation=45)
    ax_q.set_ylabel("share of chord onsets")
    ax_q.set_title("chord quality")
    ax_r.set_xticks(np.arange(12) + 0.4 - width / 2, PITCH_NAMES)
    ax_r.set_title("chord root (untransposed)")
    ax_q.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)

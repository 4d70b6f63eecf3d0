"""A player's timing: a note struck a hair before the beat belongs to the beat, and a detached note
sounds for its whole value. The accompanist must hear a human performance of a tune as the tune: the
same chords as for the score, live (the bridge on simulated time) and from a file (`harmonize`)."""
import dataclasses

import numpy as np
import pytest

from bridge.demo import ASSET, simulate_session
from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_POLICY, available_checkpoints
from jamcore.harmonize import harmonize_file
from jamcore.models.saved import load_policy
from jamcore.music.midi_io import load_user_melody, write_harmonized_midi
from jamcore.music.time import note_frame
from jamcore.stream import StreamingPolicy

pytestmark = pytest.mark.skipif(DEFAULT_POLICY not in available_checkpoints(), reason="no shipped default")

BPM = 100.0
EARLY_LATE_BEATS = 0.09  # +-32 ms at 100 BPM: a loose but real player, inside half a 16th (0.125 beat)


def score_and_performance(seed=0):
    """The demo tune written legato (each note to the next onset), and a performance of it: every onset
    up to 32 ms early or late, every note released 12-60 ms before the next."""
    song, _ = load_user_melody(ASSET)
    notes = list(song.melody)
    nexts = [b.start for b in notes[1:]] + [notes[-1].start + 2.0]
    score = [dataclasses.replace(n, end=nx) for n, nx in zip(notes, nexts)]
    rng = np.random.default_rng(seed)
    starts = [n.start + rng.uniform(-EARLY_LATE_BEATS, EARLY_LATE_BEATS) for n in score] + [np.inf]
    # A key is let go before the next one is struck (a repeated note cannot overlap itself).
    played = [dataclasses.replace(n, start=starts[i], end=min(n.end - rng.uniform(0.02, 0.1), starts[i + 1] - 0.005))
              for i, n in enumerate(score)]
    return song, score, played


def test_a_performance_off_the_grid_is_heard_as_the_score_it_plays():
    song, score, played = score_and_performance()
    n = int(song.length_beats * 4)
    exact = T.encode_melody(score, n)
    assert np.array_equal(T.encode_performance(played, n), exact)
    # The grid the data uses would put every early note on the 16th before its beat, and end every
    # detached note a 16th short: the test's performance really is off the grid.
    floored = T.encode_melody(played, n)
    assert (floored != exact).sum() >= 40
    assert note_frame(3.96) == 16 and note_frame(4.1) == 16 and note_frame(4.95) == 20


def test_the_bridge_plays_the_same_chords_for_the_performance_as_for_the_score():
    song, score, played = score_and_performance()
    model, _ = load_policy(DEFAULT_POLICY)
    end = float(int(song.length_beats + 0.999))
    for seed in (0, 1):
        heard = simulate_session(played, StreamingPolicy(model), seed=seed, bpm=BPM, end_beat=end)
        written = simulate_session(score, StreamingPolicy(model), seed=seed, bpm=BPM, end_beat=end)
        assert heard == written, seed


def test_harmonize_plays_the_same_chords_for_a_performed_file_as_for_the_score(tmp_path):
    _, score, played = score_and_performance(seed=1)
    write_harmonized_midi(tmp_path / "score.mid", score, [], BPM)
    write_harmonized_midi(tmp_path / "played.mid", played, [], BPM)
    written, _, _ = harmonize_file(tmp_path / "score.mid", seed=0)
    heard, _, _ = harmonize_file(tmp_path / "played.mid", seed=0)
    assert heard.melody_tokens == written.melody_tokens
    assert heard.chord_tokens == written.chord_tokens

"""Recall (jamcore.recall): when the player repeats a passage, the chords the accompanist plays under it
fit the notes that came next last time; a melody that never repeats is played exactly as without it."""
import numpy as np
import pytest

from bridge.demo import ASSET, simulate_session
from bridge.session import Session, Settings
from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_POLICY, load_policy_weights
from jamcore.eval import metrics as M
from jamcore.harmonize import load_user_melody
from jamcore.music.chords import Chord
from jamcore.music.song import Note
from jamcore.recall import DEFAULT_RECALL, Heard, find_repeat, forecast, recall_bias
from jamcore.stream import StreamingPolicy, play

D, E, Fs, G, A, B = 62, 64, 66, 67, 69, 71


def tokens(tune: list[tuple[int, int]]) -> np.ndarray:
    """Melody tokens of (pitch, beats) notes played legato from frame 0 (pitch None: a rest)."""
    out = []
    for pitch, beats in tune:
        frames = 4 * beats
        out += [T.SILENCE] * frames if pitch is None else [T.note_on(pitch)] + [T.note_hold(pitch)] * (frames - 1)
    return np.asarray(out, dtype=np.int64)


X = [(Fs, 1), (Fs, 1), (G, 1), (A, 1)]
Y1, Y2 = [(A, 1), (G, 1), (Fs, 1), (E, 1)], [(E, 1), (D, 1), (D, 2)]
Z = [(B, 1), (A, 1), (G, 2)]


def test_a_repeated_bar_forecasts_the_notes_that_followed_it():
    heard = tokens(X + Y1 + X[:2])  # the player is two beats into the repeat
    h = len(heard)
    assert find_repeat(heard, h, 4) == 32  # two bars back
    w = forecast(heard, h, 4)  # the next beat: G, as last time
    assert w is not None and w[G % 12] == pytest.approx(1.0)
    w = forecast(heard, h + 4, 4)  # the beat after (planned a beat ahead): A
    assert w is not None and w[A % 12] == pytest.approx(1.0)


def test_no_forecast_without_two_beats_and_two_notes_of_repeat():
    assert forecast(tokens(X + Y1 + X[:1]), 36, 4) is None  # one beat of the repeat heard
    assert forecast(tokens(X + Y1), 32, 4) is None  # nothing repeats
    held = tokens([(None, 4), (D, 4), (None, 4), (D, 2)])  # a held note and rests match, but strike once
    assert forecast(held, len(held), 4) is None


def test_the_nearest_repeat_wins_when_two_match_equally():
    """X Y1 | X Y2 | Z | X ...: the third X ends as the second did (Y2), not as the first (Y1)."""
    heard = tokens(X + Y1 + X + Y2 + Z + X)
    h = len(heard)
    w = forecast(heard, h, 4)
    assert w is not None and w[E % 12] == pytest.approx(1.0)  # Y2 begins on E; Y1 on A


def test_the_forecast_comes_only_from_frames_heard():
    heard = tokens(X + Y1 + X[:2])
    h = len(heard)
    for t in range(h, h + 12):
        d = find_repeat(heard, t, 4)
        assert d is None or t - d + 4 <= h
    assert recall_bias(lambda: pytest.fail("read with recall off"), h, 4, 0.0) is None


def test_the_bias_favours_the_chords_that_hold_the_forecast_notes():
    heard = tokens(X + Y1 + X[:2])
    bias = recall_bias(Heard(heard), len(heard), 4, 6.0)
    assert bias[T.chord_on(Chord(7, "maj"))] == pytest.approx(6.0)  # G major holds the G to come
    assert bias[T.chord_hold(Chord(7, "maj"))] == pytest.approx(6.0)  # holding it is scored alike
    assert bias[T.chord_on(Chord(2, "maj"))] == pytest.approx(0.0)  # D major does not
    assert bias[T.NO_CHORD] == 0.0


@pytest.fixture(scope="module")
def shipped():
    weights, _ = load_policy_weights(DEFAULT_POLICY)
    return weights


def test_a_melody_that_never_repeats_is_played_exactly_as_without_recall(shipped):
    # 55 56 55 57 55 58 ...: no two consecutive notes come twice, so no two beats ever repeat.
    melody = tokens([(55 + (0 if i % 2 == 0 else 1 + i // 2), 1) for i in range(64)])
    assert all(forecast(melody[:t], t, 4) is None for t in range(len(melody)))
    with_recall = play(StreamingPolicy(shipped), melody, 0.9, 1.0, np.random.default_rng(0), recall=DEFAULT_RECALL,
                       forecast=0.0)
    without = play(StreamingPolicy(shipped), melody, 0.9, 1.0, np.random.default_rng(0), recall=0.0, forecast=0.0)
    assert with_recall == without


def demo_tune():
    song = load_user_melody(ASSET)[0]
    return song, T.encode_performance(song.melody, int(song.length_beats * 4))


def bar_share(mel, chords, bars) -> float:
    total = M.NoteInChord(0, 0, 0, 0, 0)
    for b in bars:
        total = total + M.note_in_chord(mel[16 * b:16 * (b + 1)], np.asarray(chords[16 * b:16 * (b + 1)]))
    return total.ratio


def test_through_the_bridge_the_second_time_round_the_chords_fit_the_tune(shipped):
    """Ode to Joy through the bridge (one-beat commit): in the bars that repeat an earlier bar (6-7 and
    14-16; bar 0 is the count-in) recall puts the melody on a chord tone far more often than the policy
    alone, the whole tune gains, and chords still change only on beats."""
    song, mel = demo_tune()
    repeats = (6, 7, 14, 15, 16)
    on, off, whole_on, whole_off = [], [], [], []
    for seed in range(3):
        a = simulate_session(song.melody, StreamingPolicy(shipped), Settings(forecast=0.0), seed=seed, bpm=100.0)
        b = simulate_session(song.melody, StreamingPolicy(shipped), Settings(recall=0.0, forecast=0.0), seed=seed,
                             bpm=100.0)
        n = min(len(mel), len(a))
        on.append(bar_share(mel, a, repeats))
        off.append(bar_share(mel, b, repeats))
        whole_on.append(M.note_in_chord(mel[:n], np.asarray(a[:n])).ratio)
        whole_off.append(M.note_in_chord(mel[:n], np.asarray(b[:n])).ratio)
        starts = np.flatnonzero(M.chord_event_starts(np.asarray(a)))
        assert (starts % 4 == 0).all()
    assert Settings().recall == DEFAULT_RECALL > 0
    assert np.mean(on) >= 0.9 and np.mean(on) > np.mean(off) + 0.2, (on, off)
    assert np.mean(whole_on) > np.mean(whole_off) + 0.05, (whole_on, whole_off)


def test_a_session_recalls_only_what_was_heard_before_the_frame(shipped):
    """The session's memory of the melody: the real notes, never a frame at or past the one planned,
    nor past the transport, and the same after the notes themselves are forgotten (pruned)."""
    s = Session(StreamingPolicy(shipped), "t", Settings(), seed=0)
    s.on_transport(True, 0.0, 120.0, 0.0)
    notes = [Note(60 + (i % 5), i, i + 0.9, 90) for i in range(24)]
    spf = 60.0 / 120.0 / 4
    for f in range(96):
        for n in notes:
            if n.start * 4 == f:
                s.on_note(n.pitch, 90, n.start)
            if int(n.end * 4 + 0.5) == f:
                s.on_note(n.pitch, 0, n.end)
        s.step((f + 0.5) * spf)
        if f % 4 == 0:
            s.on_transport(True, f / 4, 120.0, f * spf)
    expected = T.encode_performance(notes, 96)
    heard = s.heard_before(200)
    assert len(heard.tokens) == s.cursor + 1 - s._heard0 and s._heard0 == 0 == heard.start
    np.testing.assert_array_equal(heard.tokens[:80], expected[:80])  # long after their notes were pruned
    np.testing.assert_array_equal(heard.phase, np.arange(len(heard.tokens)) % 4)
    assert len(s.heard_before(40).tokens) == 40


def test_a_repeat_played_detached_is_recalled_like_a_legato_one():
    """A player holds notes a little differently each time: the same notes struck on the same 16ths are a
    repeat, however long each is held."""
    legato = tokens(X + Y1)
    detached = tokens([(p, 1) for p, _ in X[:2]])  # the same two notes, each held a 16th shorter
    detached[3] = detached[7] = T.SILENCE
    heard = np.concatenate([legato, detached])
    w = forecast(heard, len(heard), 4)
    assert w is not None and w[G % 12] == pytest.approx(1.0)
    assert forecast(np.concatenate([legato, tokens([(B, 1), (D, 1)])]), 40, 4) is None  # other notes: none


def play_into(s: Session, notes, first_beat: float, t0: float, bpm: float = 120.0) -> float:
    """Play ``notes`` (beats from 0) into session ``s`` from song position ``first_beat`` on, the transport
    sent each beat and the session stepped mid-frame, as ``bridge.demo.simulate_session`` does; returns
    the time it ended."""
    spf = 60.0 / bpm / 4
    events = sorted([(n.start, 1, n.pitch) for n in notes] + [(n.end, 0, n.pitch) for n in notes])
    n_frames = int(max(n.end for n in notes) * 4)
    i = 0
    for f in range(n_frames):
        t = t0 + f * spf
        if f % 4 == 0:
            s.on_transport(True, first_beat + f / 4, bpm, t)
        while i < len(events) and events[i][0] < (f + 0.5) / 4:
            beat, on, pitch = events[i]
            s.on_note(pitch, 96 if on else 0, first_beat + beat, arrival=t)
            i += 1
        s.step(t + 0.5 * spf)
    return t0 + n_frames * spf


@pytest.mark.parametrize("stop_frame", [0, 1, 2, 3])
def test_played_again_after_a_seek_the_tune_is_recalled_wherever_the_seek_fell(shipped, stop_frame):
    """Play four bars, go back to the start (a seek that can land the session's frames anywhere in the
    song's beat) and play them again: the second time through recall knows what comes next."""
    tune = [Note(p, float(i), i + 0.95, 96) for i, p in enumerate([Fs, Fs, G, A, A, G, Fs, E, D, D, E, Fs,
                                                                      Fs, E, E, D])]
    s = Session(StreamingPolicy(shipped), "t", Settings(), seed=0)
    t = play_into(s, tune, 0.0, 0.0)
    spf = 60.0 / 120.0 / 4
    for f in range(stop_frame):  # play on a few 16ths of silence before the seek
        s.on_transport(True, 16 + f / 4, 120.0, t)
        s.step(t + 0.5 * spf)
        t += spf
    play_into(s, tune[:8], 0.0, t)  # the seek: the song is at beat 0 again
    heard = s.heard_before(s.cursor + 1)
    bar3 = len(heard.tokens) + 32 - (s.song_frame_at(s.cursor) + 1)  # song frame 32, counted as heard is
    w = forecast(heard.tokens, bar3, 4, heard.phase)
    assert w is not None and w[D % 12] == pytest.approx(1.0)  # bar 3 begins on D, as the first time
    assert forecast(heard.tokens, bar3 + 4, 4, heard.phase)[D % 12] == pytest.approx(1.0)


def test_how_far_ahead_chords_are_planned_does_not_change_what_is_committed(shipped):
    """A chord planned early leans on what was heard by its commit, however early it was planned: the
    demo tune through the bridge (recall and forecast at their defaults) gives the same chords at every
    lookahead, as with both off. Compared up to where the policy's window (256 frames) fills: past it,
    a re-plan after the cache has slid reads a context that starts later, with or without them."""
    song, _ = demo_tune()
    runs = [simulate_session(song.melody, StreamingPolicy(shipped), Settings(lookahead_beats=look), seed=0,
                             bpm=100.0)[:224] for look in (1.0, 2.0, 4.0)]
    assert runs[0] == runs[1] == runs[2]


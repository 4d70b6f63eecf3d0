"""Session: commits ahead of the transport, never looks ahead at the melody, follows jumps, hot-swaps."""
from concurrent.futures import Future

import numpy as np
import pytest
import torch

from bridge.session import Session, Settings
from jamcore import tokens as T
from jamcore.config import ModelConfig
from jamcore.music.meter import METRIC_SLOTS
from jamcore.models.policy import ChordPolicy
from jamcore.stream import StreamingPolicy

CFG = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0)
BPM = 240.0
SPF = 60.0 / BPM / 4  # seconds per frame


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    # Tiny models: one thread is ~20x faster than two fighting over busy cores (as the daemon runs).
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def policy(seed=0):
    torch.manual_seed(seed)
    return StreamingPolicy(ChordPolicy(CFG).eval())


class Recording:
    """Wraps a StreamingPolicy; records the melody it had been fed when each chord was sampled."""

    def __init__(self, inner):
        self.inner = inner
        self.sampled_with: list[tuple[int, list[int]]] = []  # (frame, melody tokens pushed so far)

    def sample_chord(self, *a, **k):
        self.sampled_with.append((self.inner.frames, list(self.inner.history[1])))
        return self.inner.sample_chord(*a, **k)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def run(session, frames, note_at=lambda f: 60 + f % 7, t0=0.0, start_frame=0):
    """Drive a session frame by frame at BPM with one note per frame; return {song frame: send}."""
    sent = {}
    for i in range(frames):
        f = start_frame + i
        t = t0 + i * SPF
        if f % 4 == 0:
            session.on_transport(True, f / 4, BPM, t)
        if note_at(f) is not None:
            session.on_note(note_at(f), 100, f / 4 + 0.01, arrival=t)
        for s in session.step(t + 0.002).sends:
            sent[s.frame] = s
    return sent


def covered(sent):
    frames = set()
    for s in sent.values():
        frames.update(range(s.frame, s.frame + s.frames))
    return frames


def test_every_frame_gets_a_chord_before_it_sounds():
    s = Session(policy(), "tiny", seed=0)
    sent = run(s, 64)
    assert set(range(0, 64)) <= covered(sent)
    # At every step the committed edge is at least one frame (in fact commit_beats) ahead.
    assert len(s.committed) >= s.cursor + 4
    assert s.late_commits == 0


def test_chord_for_a_frame_never_sees_that_frames_melody():
    rec = Recording(policy())
    s = Session(rec, "tiny", seed=0)
    run(s, 48)
    assert rec.sampled_with
    for frame, fed in rec.sampled_with:
        assert len(fed) == frame  # when chord f is sampled, the policy holds melody frames < f only


def test_replans_when_real_notes_differ_from_imagined():
    s = Session(policy(), "tiny", Settings(lookahead_beats=2.0, commit_beats=1.0), seed=0)
    run(s, 16)
    # Provisional frames exist beyond the commit edge and are replaced after a surprising note.
    assert len(s.pushed_c) > len(s.committed)
    before = list(s.pushed_m)
    t = 16 * SPF
    s.on_note(100, 100, 16 / 4 + 0.01, arrival=t)  # a very unlikely pitch, on the frame now sounding
    s.step(t + 0.002)
    assert s.pushed_m[s.cursor] == T.note_on(100)
    assert before[s.cursor] != T.note_on(100)
    assert len(s.pushed_c) >= s.commit_end + 1


def test_a_flood_of_notes_rewinds_once_a_frame_and_is_heard_after_the_boundary():
    s = Session(policy(), "tiny", Settings(lookahead_beats=2.0, commit_beats=1.0), seed=0)
    run(s, 16)
    rewinds = []
    inner_rewind = s.policy.rewind
    s.policy.rewind = lambda n: (rewinds.append(n), inner_rewind(n))
    t = 16 * SPF
    for i in range(200):  # late and current notes, all different: each would re-plan without a limit
        beat = (14 + i % 3) / 4 + 0.01
        s.on_note(40 + i % 50, 100, beat, arrival=t)
        s.step(t + 0.001)
    assert len(rewinds) == 1
    # The newest notes were not ignored: at the next boundary the plan is rewound to match them.
    s.step(t + SPF + 0.001)
    assert len(rewinds) == 2
    assert [s.pushed_m[p] for p in (14, 15, 16)] == [s.melody_token(p) for p in (14, 15, 16)]


def test_loop_jump_resends_the_new_position_and_keeps_history():
    s = Session(policy(), "tiny", seed=0)
    run(s, 32)
    p_before = s.cursor
    t = 32 * SPF
    s.on_transport(True, 0.0, BPM, t)  # loop brace back to bar 1
    res = s.step(t + 0.001)
    frames = {x.frame for x in res.sends}
    assert 0 in frames and all(f < 8 for f in frames)  # chords for the new position, nothing stale
    assert s.cursor == p_before + 1  # performance time goes on: the policy's context continues
    assert len(s.committed) >= s.cursor + 4
    sent = run(s, 16, t0=t, start_frame=0)
    assert set(range(0, 16)) <= covered(sent) | frames


def test_stop_freezes_then_start_continues():
    s = Session(policy(), "tiny", seed=0)
    run(s, 8)
    s.on_transport(False, 2.0, BPM, 8 * SPF)
    s.step(8 * SPF + 0.01)
    c = s.cursor
    s.step(100.0)
    assert s.cursor == c
    s.on_transport(True, 2.0, BPM, 200.0)
    s.step(200.0 + 4 * SPF + 1e-4)
    assert s.cursor == c + 4


def test_hot_swap_keeps_every_committed_frame_and_primes_history():
    s = Session(policy(0), "a", seed=0)
    run(s, 20)
    committed_before = list(s.committed)
    new = policy(1)
    fut: Future = Future()
    job = s.swap_job("b", lambda priming: priming.apply(new))
    s.begin_swap("b", fut)
    sent = run(s, 4, t0=20 * SPF, start_frame=20)
    assert s.checkpoint == "a"  # still loading: the old policy plays on
    fut.set_result(job())
    sent.update(run(s, 12, t0=24 * SPF, start_frame=24))
    assert s.checkpoint == "b" and s.policy is new
    assert s.committed[: len(committed_before)] == committed_before  # nothing committed changed
    assert set(range(20, 36)) <= covered(sent)
    assert new.frames == len(s.pushed_c)
    assert list(new.history[1])[-len(s.pushed_m):] == s.pushed_m[-len(new.history[1]):]


def test_failed_swap_reports_and_keeps_playing():
    s = Session(policy(0), "a", seed=0)
    run(s, 8)
    fut: Future = Future()
    s.swap_job("nope", lambda priming: None)
    s.begin_swap("nope", fut)
    fut.set_exception(FileNotFoundError("no checkpoint named 'nope'"))
    s.on_transport(True, 2.0, BPM, 8 * SPF)
    res = s.step(8 * SPF + SPF + 1e-3)
    assert res.errors and "nope" in res.errors[0][1] and "keeping 'a'" in res.errors[0][1]
    assert s.checkpoint == "a"
    sent = {x.frame: x for x in res.sends}
    sent.update(run(s, 8, t0=9 * SPF, start_frame=9))
    assert set(range(9, 17)) <= covered(sent)


def test_notes_monophonic_newest_wins_and_offs():
    s = Session(policy(), "tiny", seed=0)
    s.on_transport(True, 0.0, BPM, 0.0)
    s.on_note(60, 100, 0.0)
    s.on_note(64, 100, 0.0)  # same frame: the later note wins
    s.on_note(64, 0, 0.5)  # off at frame 2
    assert [s.melody_token(p) for p in range(4)] == [T.note_on(64), T.note_hold(64), T.SILENCE, T.SILENCE]
    assert s.on_note(60, 100, 50.0) is not None  # far ahead of the transport: refused with a reason


def test_settings_keep_commit_within_lookahead():
    st = Settings(lookahead_beats=2.0, commit_beats=1.0)
    assert st.set("commit_beats", 3.0) and st.lookahead_beats == 3.0
    assert st.set("lookahead_beats", 0.5) and st.commit_beats == 0.5


@pytest.mark.parametrize("voicing", ["bass", "close"])
def test_committed_chords_are_voice_led(voicing):
    s = Session(policy(), "tiny", Settings(voicing=voicing), seed=3)
    sent = run(s, 64)
    chords = [x for x in sorted(sent.values(), key=lambda x: x.frame) if x.symbol]
    assert chords
    for c in chords:
        assert list(c.pitches) == sorted(c.pitches)
        assert (c.pitches[0] < 48) == (voicing == "bass")
    uppers = [c.pitches[1:] if voicing == "bass" else c.pitches for c in chords]
    assert all(52 <= p <= 76 for u in uppers for p in u)
    assert np.all(np.array([max(u) - min(u) for u in uppers]) <= 14)


def test_reset_forgets_the_song_and_plays_on():
    s = Session(policy(), "tiny", seed=0)
    run(s, 16)
    t = 16 * SPF
    s.reset(t)
    assert s.committed == [] and s.policy.frames == 0
    res = s.step(t + 0.001)
    assert res.sends and res.sends[0].frame == 16  # the song position goes on, the history starts over
    assert s.seg_f0 == 16


def test_listens_before_the_first_chord_then_plays():
    s = Session(policy(), "tiny", Settings(listen_beats=1.0, commit_beats=1.0, lookahead_beats=1.0), seed=0)
    sent = run(s, 8, note_at=lambda f: None)  # two beats of silence: nothing but no-chord
    assert all(x.symbol is None for x in sent.values())
    sent = run(s, 24, t0=8 * SPF, start_frame=8, note_at=lambda f: 60 + f % 3)  # the melody starts at frame 8
    first = min(f for f, x in sent.items() if x.symbol)
    assert 12 <= first <= 12 + 8  # after a beat of listening, as soon as the commit window allows
    assert s.committed[first] != T.NO_CHORD


def test_a_metrical_policy_hears_song_bar_positions_across_a_loop_and_a_meter_change():
    """The policy counts performance frames (they never jump), but its metrical input follows the song:
    after a loop back to bar 1 the next frames sit at the top of the bar again. Its state stays exactly
    a forward pass over its window with those ids, also after /jam/set beats_per_bar re-reads it."""
    from jamcore.music.meter import METRIC_SLOTS

    torch.manual_seed(3)
    model = ChordPolicy(ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0,
                                    metric_slots=METRIC_SLOTS)).eval()
    with torch.no_grad():
        model.metric.weight[1:].normal_(0.0, 1.0)
    s = Session(StreamingPolicy(model), "tiny", seed=0)
    run(s, 30)  # song frames 0..29
    p_loop = s.cursor + 1
    s.on_transport(True, 0.0, BPM, 30 * SPF)  # loop brace back to bar 1
    s.step(30 * SPF + 0.001)
    run(s, 12, t0=30 * SPF, start_frame=0)
    assert s.song_frame_at(p_loop - 1) == p_loop - 1  # the first pass keeps its positions
    assert [s.song_frame_at(p) for p in range(p_loop, p_loop + 3)] == [0, 1, 2]
    assert s.policy.song_frame == s.song_frame_at

    def assert_exact(bar):
        pol = s.policy
        start, n = pol._start, pol.frames
        chords, melody = pol.history
        i0 = start - pol.history_start
        seq = torch.from_numpy(T.interleave(np.array(chords[i0:]), np.array(melody[i0:])))[None]
        ids = [1 + s.song_frame_at(start) % bar]
        for f in range(start, n):
            ids += [1 + s.song_frame_at(f) % bar, 1 + (s.song_frame_at(f) + 1) % bar]
        with torch.no_grad():
            full = model(seq, meter=torch.tensor(ids[: seq.shape[1]])[None])[0].numpy()
        assert np.allclose(pol.chord_logits(), full[-1], atol=1e-4)

    assert_exact(16)
    s.set_meter(3.0)
    assert_exact(12)


@pytest.mark.parametrize("during", ["notes", "seek"])
def test_a_swap_primed_elsewhere_holds_the_committed_frames_ahead_and_mirrors_the_session(during):
    """The new policy arrives primed with the history and the committed frames ahead (imagined melody);
    what happened while it loaded (notes that differ from the imagined ones, a seek) is caught up, so
    the policy ends up holding exactly what the session says it was fed."""
    torch.manual_seed(1)
    metric = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, metric_slots=METRIC_SLOTS)
    s = Session(StreamingPolicy(ChordPolicy(metric).eval()), "a", seed=0)
    silent = during == "seek"  # only the song position differs after the seek: the bar must be heard
    run(s, 20, note_at=(lambda f: None) if silent else (lambda f: 60 + f % 7))
    new = StreamingPolicy(ChordPolicy(metric).eval())
    fut: Future = Future()
    job = s.swap_job("b", lambda priming: priming.apply(new))
    s.begin_swap("b", fut)
    assert len(s.committed) > s.cursor  # frames ahead are committed: the job holds them
    ahead = len(s.committed)
    if during == "seek":
        run(s, 2, note_at=lambda f: None, t0=20 * SPF, start_frame=20)
        s.on_transport(True, 1.5, BPM, 22 * SPF)  # to another place in the bar while it loads
        fut.set_result(job())  # (primed from the snapshot taken before the seek)
        run(s, 6, note_at=lambda f: None, t0=22 * SPF + 0.001, start_frame=6)
    else:
        run(s, 3, note_at=lambda f: 72 + f % 5, t0=20 * SPF, start_frame=20)  # not what was imagined
        fut.set_result(job())
        run(s, 3, note_at=lambda f: 72 + f % 5, t0=23 * SPF, start_frame=23)
    assert new.frames >= ahead or during == "seek"
    assert s.checkpoint == "b" and s.policy is new
    assert new.frames == len(s.pushed_c) and new.history_start <= len(s.pushed_c)
    kept = len(new.history[0])
    assert list(new.history[0]) == s.pushed_c[-kept:] and list(new.history[1]) == s.pushed_m[-kept:]
    assert all(s.pushed_c[p] == s.committed[p] for p in range(min(len(s.committed), len(s.pushed_c))))
    ref = StreamingPolicy(new.model)  # the same history fed from scratch gives the same next chord
    ref.song_frame = s.song_frame_at
    ref.prime(s.pushed_c, s.pushed_m)
    assert np.allclose(ref.chord_logits(), new.chord_logits(), atol=1e-4)


@pytest.mark.parametrize("outcome", ["lands", "cancelled"])
def test_a_reset_while_a_swap_loads_never_gives_the_new_song_the_old_history(outcome):
    """/jam/reset while a checkpoint loads: the load was primed with the old song. When it lands it
    must hear only the new song (what the session fed since the reset); cancelled (a newer request),
    the old checkpoint plays the new song on. Either way the chords keep coming."""
    torch.manual_seed(1)
    metric = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, metric_slots=METRIC_SLOTS)
    s = Session(StreamingPolicy(ChordPolicy(metric).eval()), "a", seed=0)
    run(s, 20)  # the old song: notes 60..66
    new = StreamingPolicy(ChordPolicy(metric).eval())
    fut: Future = Future()
    job = s.swap_job("b", lambda priming: priming.apply(new))
    s.begin_swap("b", fut)
    primed = job() if outcome == "lands" else None  # (the loader primes it with the snapshot: the old song)
    s.reset(20 * SPF)
    song = lambda f: 72 + f % 5  # noqa: E731
    sent = run(s, 3, note_at=song, t0=20 * SPF, start_frame=20)
    if outcome == "lands":
        fut.set_result(primed)
    else:
        assert fut.cancel()
    sent.update(run(s, 9, note_at=song, t0=23 * SPF, start_frame=23))
    if outcome == "lands":
        assert s.checkpoint == "b" and s.policy is new
    else:
        assert s.checkpoint == "a" and s.policy is not new
    assert s.swapping is None
    assert set(range(20, 32)) <= covered(sent)
    pol = s.policy
    assert s.cursor <= 13 and pol.frames == len(s.pushed_c)  # the new song's 12 frames and its lookahead
    # What it heard is the new song as played since the reset (frame 20 of the song), nothing of the old.
    assert s.pushed_m[:s.cursor] == [T.note_on(song(20 + p)) for p in range(s.cursor)]
    kept = len(pol.history[0])
    assert list(pol.history[0]) == s.pushed_c[-kept:] and list(pol.history[1]) == s.pushed_m[-kept:]
    ref = StreamingPolicy(pol.model)  # the same history fed from scratch gives the same next chord
    ref.song_frame = s.song_frame_at
    ref.prime(s.pushed_c, s.pushed_m)
    assert np.allclose(ref.chord_logits(), pol.chord_logits(), atol=1e-4)


def test_a_note_struck_early_counts_as_heard_when_its_frame_begins():
    """A note played in the last half of a 16th is the next 16th's (the nearest frame). The policy hears it
    when that frame begins, and the reaction latency is measured to then, not to a plan that imagined it."""
    s = Session(policy(), "tiny", Settings(listen_beats=0.0), seed=0)
    for f in range(8):
        if f % 4 == 0:
            s.on_transport(True, f / 4, BPM, f * SPF)
        s.step(f * SPF + 0.002)
    t = 7.8 * SPF
    assert s.on_note(64, 100, 7.8 / 4, arrival=t) is None
    s.step(t + 0.001)
    assert len(s.reaction_ms) == 0  # frame 8 has not begun: nothing played on it is heard yet
    s.on_transport(True, 2.0, BPM, 8 * SPF)
    s.step(8 * SPF + 0.002)
    assert s.melody_token(s.cursor) == T.note_on(64) and s.cursor == 8
    assert s.pushed_m[8] == T.note_on(64)  # the policy was fed the real note on its frame
    assert len(s.reaction_ms) == 1 and s.reaction_ms[0] >= 0.2 * SPF * 1e3

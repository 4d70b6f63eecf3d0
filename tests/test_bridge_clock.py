"""Clock and scheduler: transport following (start, stop, seek, loop, tempo) and commit windows."""
import pytest

from bridge.clock import Clock
from bridge.scheduler import chord_runs, horizon, next_frame_time
from jamcore import tokens as T
from jamcore.music.chords import parse_symbol


def test_position_follows_tempo_between_reports():
    c = Clock()
    u = c.update(True, 4.0, 120.0, now=10.0)
    assert u.first and c.playing
    assert c.beat_at(10.5) == pytest.approx(5.0)
    assert c.wall_at(6.0) == pytest.approx(11.0)
    u = c.update(True, 5.01, 120.0, now=10.5)  # jitter: not a jump
    assert u.kind == "continue"


def test_tempo_change_keeps_position_changes_rate():
    c = Clock()
    c.update(True, 0.0, 120.0, now=0.0)
    u = c.update(True, 2.0, 180.0, now=1.0)
    assert u.tempo_changed and not u.jumped
    assert c.beat_at(2.0) == pytest.approx(5.0)


def test_seek_backwards_forwards_and_loop_are_jumps():
    c = Clock()
    c.update(True, 0.0, 120.0, now=0.0)
    assert c.update(True, 0.0, 120.0, now=4.0).jumped  # loop brace: 8 -> 0
    assert c.update(True, 32.0, 120.0, now=4.1).jumped  # seek forwards
    u = c.update(True, 32.2, 120.0, now=4.2)
    assert u.kind == "continue"


def test_start_stop_and_seek_while_stopped():
    c = Clock()
    c.update(False, 0.0, 100.0, now=0.0)
    assert c.beat_at(5.0) == 0.0 and c.wall_at(1.0) is None
    u = c.update(True, 0.0, 100.0, now=5.0)
    assert u.started and not u.jumped
    u = c.update(False, 1.0, 100.0, now=5.6)
    assert u.stopped and not u.jumped
    assert c.beat_at(100.0) == 1.0
    assert c.update(False, 16.0, 100.0, now=7.0).jumped


def test_bad_report_refused():
    with pytest.raises(ValueError):
        Clock().update(True, float("nan"), 120.0, now=0.0)


def test_horizon_commits_at_least_the_next_frame():
    h = horizon(now_beat=2.1, lookahead_beats=2.0, commit_beats=1.0)
    assert h.now_frame == 8
    assert h.commit_end == 13  # frames starting before beat 3.1
    assert h.plan_end == 17
    h = horizon(2.0, 0.25, 0.0)
    assert h.commit_end == 9 and h.plan_end == 9


def test_next_frame_time():
    assert next_frame_time(10.0, 1.0, 120.0) == pytest.approx(10.125)
    assert next_frame_time(10.0, 1.1, 60.0) == pytest.approx(10.15)


def test_chord_runs_cover_the_window_from_their_onsets():
    C, G = parse_symbol("C"), parse_symbol("G")
    toks = [T.NO_CHORD, T.chord_on(C), T.chord_hold(C), T.chord_hold(C), T.chord_on(G), T.chord_hold(G),
            T.chord_on(G), T.NO_CHORD]
    runs = chord_runs(toks, first_frame=100, start=103, end=107)
    assert [(r.frame, r.frames, r.chord and r.chord.symbol) for r in runs] == [
        (101, 3, "C"), (104, 2, "G"), (106, 1, "G")]
    runs = chord_runs(toks, 100, 107, 120)
    assert [(r.frame, r.frames, r.chord) for r in runs] == [(107, 1, None)]
    assert chord_runs(toks, 100, 90, 95) == []
    # A segment that starts mid-chord: the first frame is the run's start for the device.
    assert chord_runs(toks[2:], 0, 0, 1)[0].frame == 0

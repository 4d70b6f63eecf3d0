"""The bridge across Live's loop (``/jam/loop``): the clock wraps, the session plans past the loop end and
keeps its committed chords when the device reports the wrap (it is not a seek)."""
import pytest
import torch

from bridge.clock import Clock
from bridge.session import Session
from jamcore.config import ModelConfig
from jamcore.models.policy import ChordPolicy
from jamcore.stream import StreamingPolicy

BPM = 240.0
SPF = 60.0 / BPM / 4
LOOP = (0.0, 4.0)  # one bar: frames 0..15


def test_clock_wraps_at_the_loop_end_and_a_report_at_the_loop_start_is_no_jump():
    c = Clock()
    c.set_loop(True, *LOOP)
    c.update(True, 3.0, BPM, 0.0)
    assert c.beat_at(0.25 * 60 / BPM * 4) == pytest.approx(0.0, abs=1e-9)  # beat 4 -> the loop start
    assert c.beat_at(1.5 * 60 / BPM) == pytest.approx(0.5)
    assert c.wall_at(0.25) == pytest.approx(1.25 * 60 / BPM)  # on the next pass, not in the past
    upd = c.update(True, 0.0, BPM, 60 / BPM)  # the device: "we are at the loop start"
    assert not upd.jumped
    c.update(True, 3.0, BPM, 10.0)
    upd = c.update(True, 3.995, BPM, 10.0 + 1.01 * 60 / BPM)  # the device a little behind: predicted 0.01
    assert not upd.jumped
    c.set_loop(False, 0, 0)
    c.update(True, 3.0, BPM, 10.0)
    assert c.beat_at(10.0 + 60 / BPM * 2) == pytest.approx(5.0)  # no loop: plays on


@pytest.fixture
def session():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    s = Session(StreamingPolicy(ChordPolicy(ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0)).eval()),
                "tiny", seed=0)
    s.settings.listen_beats = 0.0
    return s


def test_session_plans_across_the_loop_and_keeps_its_chords_at_the_wrap(session):
    session.set_loop(True, *LOOP)
    sends = []  # (cursor frame when sent, send)
    for i in range(40):  # two and a half passes
        t = i * SPF
        f = i % 16
        if f % 4 == 0:  # the device reports on every beat, and at the wrap
            session.on_transport(True, f / 4, BPM, t)
        session.on_note(60 + f % 5, 100, f / 4 + 0.01, arrival=t)
        for s in session.step(t + 0.002).sends:
            sends.append((f, s))
    assert session.late_commits == 0
    # Before each wrap the bridge already sent what plays at the next pass's start, numbered past the
    # loop end (16 = frame 0 of the next pass); after the wrap nothing names a frame of the pass before.
    before = [s for f, s in sends if f >= 12 and s.frame >= 16]
    assert before and all(16 <= s.frame < 16 + 8 for s in before)
    wrapped, after = False, []
    for f, s in sends:
        wrapped = wrapped or f >= 12
        if wrapped and f < 4:
            after.append(s)
    assert after and not [s for s in after if 8 <= s.frame < 16], after  # no frame of the pass that ended
    # The committed chords were never cut at a wrap: one committed token per lived frame, no gaps.
    assert len(session.committed) >= 40


def test_a_real_seek_inside_the_loop_is_still_a_jump(session):
    session.set_loop(True, *LOOP)
    for i in range(8):
        t = i * SPF
        if i % 4 == 0:
            session.on_transport(True, i / 4, BPM, t)
        session.step(t + 0.002)
    upd = session.on_transport(True, 3.0, BPM, 8 * SPF)  # from beat 2 to beat 3: a seek
    assert upd.jumped



@pytest.mark.parametrize("after_wrap", [False, True])
def test_a_note_released_a_hair_before_the_loop_end_is_heard_there_whichever_side_of_the_wrap_it_arrives(
        session, after_wrap):
    """Live ends a note held across the loop end just before it: the release rounds onto the loop end,
    which is the next pass's first frame. It must end the note there, not be refused as a whole loop
    ahead of the transport (and leave the note sounding through the next pass)."""
    from jamcore import tokens as T

    session.set_loop(True, *LOOP)
    for i in range(16):
        t = i * SPF
        if i % 4 == 0:
            session.on_transport(True, i / 4, BPM, t)
        if i == 12:
            session.on_note(67, 100, 3.0, arrival=t)
        session.step(t + 0.002)
    if not after_wrap:
        assert session.on_note(67, 0, 3.99, arrival=16 * SPF - 0.001) is None
    session.on_transport(True, 0.0, BPM, 16 * SPF)
    session.step(16 * SPF + 0.002)
    if after_wrap:  # the release was stamped before the wrap and arrives just after it
        assert session.on_note(67, 0, 3.99, arrival=16 * SPF + 0.003) is None
    p0 = session.cursor  # the new pass's first frame
    assert p0 == 16
    session.step(17 * SPF + 0.002)
    assert session.melody_token(p0 - 1) == T.note_hold(67)  # held through the loop's last 16th
    assert session.melody_token(p0) == T.SILENCE  # and let go at the wrap
    assert session.melody_token(p0 + 8) == T.SILENCE  # not sounding on through the next pass

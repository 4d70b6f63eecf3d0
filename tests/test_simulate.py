"""The shipped device, executed: the simulated Live plays a melody through ``Jam Bridge.amxd`` against the
real daemon (``jamcore serve`` in its own process, shipped checkpoints) over UDP on 127.0.0.1, and we
listen to what its MIDI out plays.

Real time on purpose (the device's clocks and the bridge's planner race each other as they do in Live);
kept to about a minute and a half of music in all.
"""
import json
from pathlib import Path

import pytest

from bridge import protocol as P
from max_patches.generate import BLEND, BLEND_A, BLEND_B, CHECKPOINT_ITEMS
from max_patches.live_sim import Live
from max_patches.runtime import NodeScript, UdpSend
from max_patches.score import melody_on_chord_tones_by_pass, score
from max_patches.simulate import (DEMO_MELODY, Daemon, connect, free_udp_port, melody_clip, play_loop, shipped_patch,
                                  wait_for)

pytest.importorskip("torch")
ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "tests" / "fixtures" / "jam_bridge_before_issue13.maxpat"  # the device as shipped before issue 13


@pytest.fixture(scope="module")
def daemon():
    d = Daemon.start(seed=0)
    yield d
    d.stop()


@pytest.fixture(scope="module")
def patch():
    return shipped_patch()


@pytest.fixture(scope="module")
def loop_three_times(daemon, patch):
    """The shipped device playing a four-bar loop three times at ``bpm``, scored: played once per tempo
    for every test that listens to it (about 17 s of music at 180 BPM, 25 s at 120)."""
    played = {}

    def play(bpm: float):
        if bpm not in played:
            live = Live(bpm=bpm)
            dev = connect(live, patch, daemon.port)
            dev.clip = melody_clip(DEMO_MELODY, 16)
            t0 = live.sched.now()
            stop = play_loop(live, 0, 16, 3)
            sc = score(live, dev, channel=channel(dev), start_t=t0, end_t=stop)
            hanging = dev.midi.hanging()
            dev.close()
            played[bpm] = (sc, hanging)
        return played[bpm]

    return play


def channel(dev) -> int:
    return int(dev.control("Chord channel").value)


def old_patch(bridge_port: int) -> tuple[dict, int]:
    """The pre-issue-13 device with its fixed ports pointed at this test's bridge (nothing else changed)."""
    reply = free_udp_port()
    text = BEFORE.read_text(encoding="utf-8")
    for a, b in (('"udpreceive 7401"', f'"udpreceive {reply}"'), ('"/jam/hello 7401"', f'"/jam/hello {reply}"'),
                 ('"udpsend 127.0.0.1 7400"', f'"udpsend 127.0.0.1 {bridge_port}"')):
        assert a in text
        text = text.replace(a, b)
    return json.loads(text), reply


def test_the_device_before_issue_13_cuts_every_chord_and_the_shipped_one_holds_them(daemon, patch, loop_three_times):
    # Before: chords end one 16th after they start (the stale end markers of re-sent runs).
    live = Live(bpm=180)
    old, _ = old_patch(daemon.port)
    dev = live.add_device(old, device_id=3)
    wait_for(live, lambda: any(a == P.READY.path for _, d, a, _ in live.wire if d is dev), 10, "no ready")
    live.run_for(0.3)
    dev.clip = melody_clip(DEMO_MELODY, 16)
    t0 = live.sched.now()
    stop = play_loop(live, 0, 16, 1)
    before = score(live, dev, channel=1, start_t=t0, end_t=stop)
    dev.close()
    assert before.committed > 20
    assert before.sounded < 0.3 * before.committed, before.detail()
    # The chords that did sound lasted one frame each.
    assert all(ok <= 1 for _, _, ok in before.runs())
    # After: the same song (played three times, as the loop test hears it), every committed frame sounds.
    after, _ = loop_three_times(180)
    assert after.committed > 20 and after.sounded >= 0.99 * after.committed, after.detail()
    assert after.late == 0 and after.wrong == 0, after.detail()


@pytest.mark.parametrize("bpm", [120, 180])
def test_a_four_bar_loop_three_times(loop_three_times, bpm):
    sc, hanging = loop_three_times(bpm)
    assert sc.committed >= 100 and sc.sounded >= 0.99 * sc.committed, sc.detail()
    assert sc.late == 0 and sc.wrong == 0, sc.detail()
    # Each chord sounds, from one strike, for exactly its committed length (to the frame), across the
    # loop's wraps too; the last run is cut by the stop.
    runs = sc.runs()
    assert runs and all(ok == n for _, n, ok in runs[:-1]), runs
    # The chord at the loop start of passes 2 and 3 was planned before the wrap: it started on time.
    wraps = [i for i, f in enumerate(sc.frames) if i and f.frame < sc.frames[i - 1].frame]
    assert len(wraps) == 2
    assert all(sc.frames[i].committed is not None and sc.frames[i].stretch == sc.frames[0].stretch for i in wraps)
    # Stop released everything.
    assert not hanging


def test_round_the_loop_again_the_chords_fit_the_tune(daemon, patch, loop_three_times):
    """Recall, heard from the device: once the player has played the loop, the chords of the next passes
    put the melody on a chord tone far more often than the same device and daemon with the Recall dial at
    0 (the set's saved value) manage on those passes."""
    sc, _ = loop_three_times(120)
    clip = melody_clip(DEMO_MELODY, 16)
    on = melody_on_chord_tones_by_pass(sc, clip)
    live = Live(bpm=120)
    dev = connect(live, patch, daemon.port, {"Recall": 0.0})
    dev.clip = clip
    t0 = live.sched.now()
    stop = play_loop(live, 0, 16, 3)
    off = melody_on_chord_tones_by_pass(score(live, dev, channel=channel(dev), start_t=t0, end_t=stop), clip)
    dev.close()
    assert len(on) == len(off) == 3
    again_on, again_off = sum(on[1:]) / 2, sum(off[1:]) / 2
    assert again_on >= 0.8 and again_on >= again_off + 0.1, (on, off)


def test_fifteen_percent_of_the_bridge_packets_lost(daemon, patch):
    live = Live(bpm=180, drop=0.15, seed=3)
    dev = connect(live, patch, daemon.port)
    dev.clip = melody_clip(DEMO_MELODY, 16)
    t0 = live.sched.now()
    stop = play_loop(live, 0, 16, 2)
    sc = score(live, dev, channel=channel(dev), start_t=t0, end_t=stop)
    dev.close()
    assert live.dropped > 20
    assert sc.committed >= 60 and sc.sounded >= 0.98 * sc.committed, sc.detail()


def test_seek_stop_start_tempo_and_time_signature(daemon, patch):
    live = Live(bpm=180)
    dev = connect(live, patch, daemon.port)
    dev.clip = melody_clip(DEMO_MELODY)
    t0 = live.sched.now()
    live.play(0)
    live.beats(8)
    live.seek(4)  # back a bar while playing
    live.beats(8)
    live.stop()
    live.run_for(0.2)
    assert not dev.midi.hanging(), "stop must release every note"
    t_stop = live.sched.now()
    live.play(8)
    live.beats(4)
    live.set_tempo(140)  # the bridge follows: chords stay on the grid at the new tempo
    live.beats(6)
    live.set_signature(3, 4)
    live.run_for(0.3)
    end = live.sched.now()
    live.stop()
    live.run_for(0.2)
    sc = score(live, dev, channel=channel(dev), start_t=t0, end_t=end)
    dev.close()
    assert sc.committed > 40 and sc.sounded >= 0.95 * sc.committed, sc.detail()
    assert sc.wrong <= 2, sc.detail()  # a seek or start: the new position's chord arrives a few ms after its frame
    assert sc.late <= 2, sc.detail()
    assert dev.midi.sounding(t_stop, channel(dev)) == frozenset()
    # Live's 3/4 went to the bridge as beats_per_bar 3 (no terminal needed).
    said = [a for _, d, addr, a in live.wire if d is dev and addr == P.STATUS.path and a[0] == "setting"]
    assert ["setting", "beats_per_bar=3.0"] in said, said


def test_checkpoint_menu_shows_what_plays_and_the_blend_dial_switches_without_a_gap(daemon, patch):
    live = Live(bpm=180)
    dev = connect(live, patch, daemon.port, saved={"Checkpoint": "mle"})
    menu = dev.control("Checkpoint")
    statuses = lambda: [a[1] for _, d, addr, a in live.wire if d is dev and addr == P.STATUS.path
                        and a[0] == "checkpoint"]
    wait_for(live, lambda: statuses()[-1:] == ["mle"], 10, "the saved choice was not applied")
    assert menu.symbol() == "mle" and dev.text("status_checkpoint") == "mle"
    dev.clip = melody_clip(DEMO_MELODY)
    t0 = live.sched.now()
    live.play(0)
    live.beats(6)
    turned = live.sched.now()
    dev.control("Blend").user_sets(0.3)  # a turn of the dial on stage
    blended = f"{BLEND_A}+{BLEND_B}@0.3"
    wait_for(live, lambda: statuses()[-1:] == [blended], 10, "the blend never played")
    switched = next(t for t, d, addr, a in live.wire if d is dev and addr == P.STATUS.path and a[:2] == ["checkpoint", blended])
    live.beats(6)
    end = live.sched.now()
    live.stop()
    live.run_for(0.2)
    assert menu.symbol() == BLEND and dev.text("status_checkpoint") == blended
    # What plays changed within commit_beats (1) + one beat of the turn...
    assert switched - turned <= 2 * 60.0 / 180, switched - turned
    sc = score(live, dev, channel=channel(dev), start_t=t0, end_t=end)
    # ...and no frame went silent: every frame from the first chord on sounded what was committed.
    first = next(i for i, f in enumerate(sc.frames) if f.committed and f.committed[0] != "nochord")
    assert all(f.committed is not None and (f.committed[0] == "nochord" or f.sounding == frozenset(f.committed[1]))
               for f in sc.frames[first:]), sc.detail()
    assert sc.wrong == 0 and sc.late == 0, sc.detail()
    dev.close()


def test_a_saved_choice_survives_reloading_the_set_and_the_link_light_is_not_saved(daemon, patch):
    live = Live(bpm=120)
    dev = connect(live, patch, daemon.port, saved={"Checkpoint": "rl", "Temperature": 1.1})  # not the default
    wait_for(live, lambda: dev.text("status_checkpoint") == "rl", 10, "rl never played")
    saved = dev.saved_parameters()
    assert "Link" not in saved and saved["Checkpoint"] == CHECKPOINT_ITEMS.index("rl")
    assert dev.control("Link").value == 1.0  # lit: the bridge answers
    dev.close()
    assert dev.patch.of_class(UdpSend)[0].sent[-1][1] == P.BYE.path  # the device said goodbye
    node = [o for o in dev.patch.of_class(NodeScript)][0]
    assert node.received[0][0] == "start" and node.received[-1] == ["stop"]
    # The set is opened again: Live restores the parameters, the device starts from scratch.
    dev2 = connect(live, patch, daemon.port, saved=saved)
    wait_for(live, lambda: dev2.text("status_checkpoint") == "rl", 10, "the reloaded set lost its checkpoint")
    assert dev2.control("Checkpoint").symbol() == "rl"
    assert "running" in dev2.text("status_bridge")  # the launcher's status is shown
    # A refused setting shows on the status line (this bridge has no sound device to play audio on).
    dev2.control("Output").user_sets("audio")
    wait_for(live, lambda: "audio" in dev2.text("status_error"), 5, "the error never showed")
    said = [a for _, d, addr, a in live.wire if d is dev2 and addr == P.STATUS.path and a[0] == "setting"]
    assert any(s[1].startswith("temperature=1.1") or s[1].startswith("temperature=1.0999") for s in said), said
    dev2.close()


def test_two_devices_on_two_tracks(daemon, patch):
    live = Live(bpm=180)
    a = connect(live, patch, daemon.port)
    b = connect(live, patch, daemon.port, taken={P.DEFAULT_REPLY_PORT + a.id})
    assert a.patch.find(f"udpreceive {P.DEFAULT_REPLY_PORT}").port != b.patch.find(f"udpreceive {P.DEFAULT_REPLY_PORT}").port
    a.clip = melody_clip(DEMO_MELODY, 16)
    b.clip = [(p - 12, s, e, v) for p, s, e, v in a.clip]
    t0 = live.sched.now()
    stop = play_loop(live, 0, 16, 1)
    for dev in (a, b):
        sc = score(live, dev, channel=channel(dev), start_t=t0, end_t=stop)
        assert sc.committed > 20 and sc.sounded >= 0.99 * sc.committed and sc.wrong == 0, sc.detail()
        dev.close()


def test_grid_bar_the_chords_change_only_on_bar_lines_and_a_click_on_16th_frees_them(daemon, patch):
    """The Grid saved with the set goes to the bridge when it connects; on `bar` what the device plays
    changes chord only on bar lines (Live's 4/4 from song position 0); a click on `16th` while playing
    reaches the bridge and the chords change off the bar lines again. (Temperature 1: more changes to
    look at. The first chord enters a beat after the first note, by the bridge's listening rule.)"""
    live = Live(bpm=180)
    dev = connect(live, patch, daemon.port, saved={"Grid": "bar", "Temperature": 1.0})
    said = lambda: [a[1] for _, d, addr, a in live.wire if d is dev and addr == P.STATUS.path and a[0] == "setting"]
    wait_for(live, lambda: "grid=bar" in said(), 5, "the bridge never took the saved grid")
    dev.clip = melody_clip(DEMO_MELODY, 16)
    t0 = live.sched.now()
    live.set_loop(True, 0, 16)
    live.run_for(0.1)
    live.play(0)
    live.beats(32)  # two passes on `bar`
    clicked = live.sched.now()
    dev.control("Grid").user_sets("16th")
    live.beats(32 - 0.01)  # two passes on `16th` (a policy may still prefer the bar line for a pass)
    stop = live.sched.now()
    live.stop()
    live.run_for(0.3)
    assert said()[-1:] == ["grid=16th"], said()
    sc = score(live, dev, channel=channel(dev), start_t=t0, end_t=stop)
    assert sc.committed >= 100 and sc.sounded >= 0.99 * sc.committed, sc.detail()
    assert sc.late == 0 and sc.wrong == 0, sc.detail()
    fr = sc.frames
    # One chord replaced by another (the first chord's entrance over silence is not a change).
    changes = [(b.t, b.frame) for a, b in zip(fr, fr[1:]) if a.stretch == b.stretch and a.sounding
               and b.sounding != a.sounding]
    on_bar = [f for t, f in changes if t < clicked]
    assert all(f % 16 == 0 for f in on_bar), changes
    after = [f for t, f in changes if t > clicked]
    assert any(f % 16 for f in after), changes  # the control, not the policy, held them to the bar
    dev.close()

"""`jamcore serve` as a user runs it: a separate process that starts fast, serves, and stops cleanly;
audio output with and without a sound device; and `jamcore demo` end to end."""
import os
import signal
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import mido
import numpy as np
import pytest

from bridge import protocol as P
from bridge.client import JamClient
from bridge.testing import tiny_checkpoints

ROOT = Path(__file__).resolve().parents[1]
SMALL_SF = "/usr/share/sounds/sf2/TimGM6mb.sf2"
# The share of the demo tune on a chord tone the default accompanist must keep, over its five seeds on
# average and on its worst seed: floors against regressions, not issue 15's target (0.70, not reached
# yet: see the README). One seed of one 62-note tune moves by up to 0.1 either side of the mean, so the
# mean is the floor that can tell a regression from a bad draw; the worst seed's floor only catches a
# collapse. Set for the default temperature (0.8 until 5 December, then 1.0, 0.9 since gapt_levers item 17)
# and the nearest-16th timing (training/gapt_levers.md, items 8, 12, 13, 16 and 17, have the figures).
MIN_DEMO_CHORD_TONE_MEAN = 0.46
MIN_DEMO_CHORD_TONE_ANY = 0.40
# The console script, as users run it (`python -m jamcore.cli` would make cli.py `__main__`, a second
# copy of the module whose CommandError the commands' one is not).
JAMCORE = [sys.executable, "-c", "import sys; from jamcore.cli import main; sys.exit(main())"]


@pytest.fixture(scope="module")
def ckdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("checkpoints")
    tiny_checkpoints(d)
    return d


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(ckdir, *extra, env=None):
    port = free_port()
    cmd = [*JAMCORE, "serve", "--port", str(port), "--checkpoint", "tiny",
           "--checkpoint-dir", str(ckdir), *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})})
    return proc, port


def wait_ready(client, timeout=10.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        client.send(P.HELLO.path, client.reply_port)
        try:
            return client.wait_for(P.READY.path, timeout=0.05)
        except TimeoutError:
            continue
    raise TimeoutError("daemon did not answer /jam/hello")


def children(pid):
    return [int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()]


def stop(proc, sig=signal.SIGTERM):
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=5)
    return proc.returncode, out


def test_serve_starts_fast_serves_and_stops_cleanly_on_sigterm_and_sigint(ckdir):
    for sig in (signal.SIGTERM, signal.SIGINT):
        t0 = time.monotonic()
        proc, port = serve(ckdir)
        try:
            with JamClient(port=port) as c:
                wait_ready(c)
                startup = time.monotonic() - t0
                c.transport(True, 0.0, 480.0)
                c.note(62, 100, 0.0)
                c.wait_for(P.CHORD.path, timeout=2)
                c.send(P.BLEND.path, "tiny", "tiny2", 0.5)  # made by the loader's worker process
                c.wait_for(P.STATUS.path, lambda r: r.args == ("checkpoint", "tiny+tiny2@0.5"), timeout=10)
                workers = children(proc.pid)
                for w in workers:
                    os.kill(w, signal.SIGINT)  # a Ctrl-C reaches the whole process group: the daemon decides
                rc, out = stop(proc, sig)
                c.wait_for(P.STATUS.path, lambda r: r.args == ("connection", "closed"), timeout=1)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert rc == 0, out
        assert "listening on 127.0.0.1" in out and "stopped" in out and "Traceback" not in out
        assert len(workers) == 1 and not any(Path(f"/proc/{w}").exists() for w in workers)  # no orphan
        # Python + torch import + checkpoint load; the budget is 3 s (loose here: shared CI cores).
        assert startup < 6.0, f"startup took {startup:.2f} s"


def test_missing_checkpoint_is_one_line_error(ckdir):
    proc = subprocess.run([*JAMCORE, "serve", "--port", str(free_port()),
                           "--checkpoint", "nope", "--checkpoint-dir", str(ckdir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.startswith("jamcore: error: no checkpoint named 'nope'") and "Traceback" not in proc.stderr


def test_listening_beyond_loopback_needs_an_allow_list_and_says_what_it_exposes(ckdir):
    proc = subprocess.run([*JAMCORE, "serve", "--host", "0.0.0.0", "--port", str(free_port()),
                           "--checkpoint", "tiny", "--checkpoint-dir", str(ckdir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("jamcore: error: --host 0.0.0.0 exposes the bridge beyond this computer")
    proc, port = serve(ckdir, "--allow", "127.0.0.0/8", "--secret", "opensesame")
    try:
        with JamClient(port=port) as c:
            t0 = time.monotonic()
            while not c.messages(P.ERROR.path) and time.monotonic() - t0 < 10:
                c.send(P.HELLO.path, c.reply_port)  # no secret: refused, and told why
                time.sleep(0.1)
            assert "secret" in c.messages(P.ERROR.path)[0].args[1]
            c.send(P.HELLO.path, c.reply_port, "opensesame")
            c.wait_for(P.READY.path, timeout=2)
        rc, out = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "exposed to loopback only (this computer); also allowing 127.0.0.0/8; hello needs the shared secret" in out


def _has_sound_device() -> bool:
    code = "import sounddevice as sd; sd.query_devices(kind='output')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_audio_output_without_a_sound_device_falls_back_to_midi(ckdir):
    if _has_sound_device():
        pytest.skip("this machine has a sound device")
    proc, port = serve(ckdir, "--output", "audio", "--soundfont", SMALL_SF)
    try:
        with JamClient(port=port) as c:
            wait_ready(c)
            c.wait_for(P.STATUS.path, lambda r: r.args == ("output", "midi"), timeout=2)
            c.transport(True, 0.0, 480.0)
            c.wait_for(P.NOCHORD.path, timeout=2)  # the plan keeps coming as MIDI over OSC
            c.set("output", "audio")
            assert "no audio output" in c.wait_for(P.ERROR.path, timeout=2).args[1]
        rc, out = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "no audio output" in out and "serving chords as MIDI over OSC" in out


def test_audio_output_on_a_null_alsa_device(ckdir, tmp_path):
    conf = tmp_path / "asound-null.conf"
    conf.write_text("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
    proc, port = serve(ckdir, "--output", "both", "--soundfont", SMALL_SF, env={"ALSA_CONFIG_PATH": str(conf)})
    try:
        with JamClient(port=port) as c:
            wait_ready(c)
            c.wait_for(P.STATUS.path, lambda r: r.args == ("output", "both"), timeout=2)
            c.transport(True, 0.0, 480.0)
            c.note(62, 100, 0.0)
            c.wait_for(P.CHORD.path, timeout=2)  # `both`: OSC too
            time.sleep(0.3)
        rc, out = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 0 and "output both" in out, out


def _short_melody(path, bars=8):
    """The bundled tune's first bars (keeps the demo test short)."""
    from jamcore.assets.make_demo_melody import BPM, COUNT_IN_BEATS, notes
    from jamcore.music.midi_io import write_harmonized_midi

    write_harmonized_midi(path, [n for n in notes() if n.end <= COUNT_IN_BEATS + 4 * bars], [], BPM)


def test_demo_writes_a_wav_that_is_not_silent_and_a_midi_with_chords_over_the_tune(ckdir, tmp_path):
    from bridge.demo import run_demo
    from jamcore.checkpoints import available_checkpoints

    trained = "mle" in available_checkpoints()
    mel = tmp_path / "short.mid"
    _short_melody(mel, bars=8)
    res = run_demo(mel, tmp_path, checkpoint="mle" if trained else "tiny",
                   checkpoint_dir=None if trained else ckdir, bpm=480.0, soundfont=SMALL_SF, log=lambda *a: None)
    # WAV: audible, as long as the piece.
    with wave.open(str(res.wav_path)) as w:
        audio = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2) / 32768.0
        seconds = w.getnframes() / w.getframerate()
    assert seconds >= 36 * 60 / 100.0  # written at the tune's tempo
    assert float(np.sqrt(np.mean(audio ** 2))) > 0.01
    # MIDI: melody track and a chords track whose chords cover the tune.
    mid = mido.MidiFile(str(res.midi_path))
    names = [t.name for t in mid.tracks]
    assert names == ["melody", "chords"]
    assert sum(1 for m in mid.tracks[1] if m.type == "note_on" and m.velocity > 0) >= 3 * len(res.events) > 0
    covered = sum(e[1] - e[0] for e in res.events)
    assert covered >= 0.8 * (36 - 1)  # chords through (almost) all of the tune after the first beat
    assert res.chart.count("|") >= 9
    assert 0.0 <= res.note_in_chord <= 1.0


def test_live_chords_agree_with_the_demo_melody():
    """Over several seeds, the melody lands on the bridge's chords far more often than on the same chords
    a tritone away (a chord progression that ignores the melody scores about the same either way)."""
    from bridge.demo import ASSET, simulate_session
    from jamcore import tokens as T
    from jamcore.checkpoints import available_checkpoints
    from jamcore.models.saved import load_policy
    from jamcore.music.midi_io import load_user_melody
    from jamcore.stream import StreamingPolicy

    if "mle" not in available_checkpoints():
        pytest.skip("no shipped mle checkpoint")
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        song = load_user_melody(ASSET)[0]
        model, _ = load_policy("mle")
        scores = []
        for seed in range(6):
            chords = np.asarray(simulate_session(song.melody, StreamingPolicy(model), seed=seed, bpm=100.0))
            scores.append((_on_chord_tone(song, chords), _on_chord_tone(song, T.TRANSPOSE_TABLES[6][chords])))
    finally:
        torch.set_num_threads(n)
    live, away = np.mean(scores, axis=0)
    assert live >= away + 0.1, scores


def test_the_default_accompanist_changes_chord_on_beats_only_and_fits_the_demo_tune():
    """What a performer hears from the shipped default (checkpoint, temperature, grid) on the bundled
    tune, over five seeds: every chord change on a beat, and the melody on a chord tone no less often than
    the floors (before issue 15, chords changed between beats)."""
    from bridge.demo import ASSET, simulate_session
    from jamcore import tokens as T
    from jamcore.checkpoints import DEFAULT_POLICY, available_checkpoints
    from jamcore.eval import metrics as M
    from jamcore.models.saved import load_policy
    from jamcore.music.midi_io import load_user_melody
    from jamcore.stream import StreamingPolicy

    if DEFAULT_POLICY not in available_checkpoints():
        pytest.skip("no shipped default checkpoint")
    song = load_user_melody(ASSET)[0]
    model, _ = load_policy(DEFAULT_POLICY)
    shares = []
    for seed in range(5):
        chords = np.asarray(simulate_session(song.melody, StreamingPolicy(model), seed=seed, bpm=100.0))
        starts = np.flatnonzero(M.chord_event_starts(chords))
        assert starts.size > 3 and (starts % 4 == 0).all(), (seed, starts)
        shares.append(_on_chord_tone(song, chords))
    assert np.mean(shares) >= MIN_DEMO_CHORD_TONE_MEAN and min(shares) >= MIN_DEMO_CHORD_TONE_ANY, shares


def _on_chord_tone(song, chords) -> float:
    """Note-in-chord of the melody as the bridge heard it (nearest 16th) under ``chords``."""
    from jamcore import tokens as T
    from jamcore.eval import metrics as M

    chords = np.asarray(chords)
    melody = T.encode_performance(song.melody, int(song.length_beats * 4))
    n = min(len(melody), len(chords))
    return M.note_in_chord(melody[:n], chords[:n]).ratio

"""The data's forecast of the next beat (jamcore.forecast): counted from songs, saved and loaded without
pickle, read only from notes heard a beat before the chord; and what a performer hears on the demo tune."""
import json

import numpy as np
import pytest

from bridge.demo import ASSET, simulate_session
from bridge.session import Settings
from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_POLICY, load_policy_weights
from jamcore.eval import metrics as M
from jamcore.forecast import (DEFAULT_FORECAST, MIN_NOTES, SHIPPED, MelodyForecast, context, forecast_bias,
                              melody_key, shipped_forecast)
from jamcore.harmonize import load_user_melody
from jamcore.music.chords import Chord
from jamcore.recall import Heard, struck_pitches
from jamcore.stream import StreamingPolicy

C, D, E, F, G, A = 60, 62, 64, 65, 67, 69


def tokens(pitches) -> np.ndarray:
    """Quarter notes, legato, from frame 0."""
    out = []
    for p in pitches:
        out += [T.note_on(p)] + [T.note_hold(p)] * 3
    return np.asarray(out, dtype=np.int64)


def toy() -> MelodyForecast:
    # C major tunes in which E then D is always followed, a beat later, by G.
    model = MelodyForecast()
    for tune in ([C, E, D, G, C, E, D, G, E, F, G, C], [E, D, G, G, C, D, E, C, E, D, G, C]):
        model.add_song(tokens(tune), 4.0)
    return model


def test_counts_follow_the_notes_heard_a_beat_before():
    model = toy()
    heard = Heard(tokens([C, E, D, G, C, E, D]))  # the chord of the next beat (frame 28) hears E, D by frame 24
    assert melody_key(heard.tokens) == (0, "maj")
    w = model.next_beat(heard, 28, 3)
    assert w is not None and w[G % 12] == pytest.approx(1.0)
    # The context reads notes struck up to a beat before the chord only: the D at frame 24 is that beat.
    strikes = struck_pitches(heard.tokens)
    assert context(strikes, 28, 0, "maj", 3) == (0, 3, 0, 4, 2)
    assert context(strikes, 27, 0, "maj", 3)[-1] == 4  # a 16th earlier the D is not yet a beat old


def test_no_forecast_before_the_key_is_heard_and_the_bias_holds_the_forecast_note():
    model = toy()
    assert model.next_beat(Heard(tokens([E, D, G][:MIN_NOTES - 1])), 12, 3) is None
    bias = forecast_bias(Heard(tokens([C, E, D, G, C, E, D])), 28, 3, 10.0, model)
    assert bias[T.chord_on(Chord(7, "maj"))] == pytest.approx(10.0)  # G major holds the G to come
    assert bias[T.chord_on(Chord(2, "min"))] == pytest.approx(0.0)
    assert forecast_bias(Heard(tokens([C, E, D, G])), 16, 0, 0.0, model) is None


def test_saved_and_loaded_as_safetensors_with_a_card(tmp_path):
    model = toy()
    model.save(tmp_path / "f", {"command": "test"})
    card = json.loads((tmp_path / "f.json").read_text())
    assert card["kind"] == "forecast" and card["contexts"] == len(model.counts) and card["command"] == "test"
    again = MelodyForecast.load(tmp_path / "f")
    assert again.counts.keys() == model.counts.keys()
    for k in model.counts:
        np.testing.assert_array_equal(again.counts[k], model.counts[k])


def test_the_shipped_forecast_is_the_licensed_data_counted():
    model = shipped_forecast()
    assert model is not None
    card = json.loads(SHIPPED.with_suffix(".json").read_text())
    assert set(card["data"]["sources"]) == {"nottingham", "pop909"} and card["data"]["split"] == "train"
    assert card["data"]["songs"] > 1000 and card["contexts"] == len(model.counts)


def test_the_demo_tune_at_the_live_defaults_puts_the_melody_on_a_chord_tone_seven_times_in_ten():
    """Issue 15's demo: Ode to Joy through the bridge (one-beat commit) at the live defaults, five seeds:
    the melody on a chord tone at least 70 % of the time, chords changing on beats only; without the
    forecast (recall alone) it stays under that."""
    weights, _ = load_policy_weights(DEFAULT_POLICY)
    song = load_user_melody(ASSET)[0]
    mel = T.encode_performance(song.melody, int(song.length_beats * 4))
    live, alone = [], []
    for seed in range(5):
        for settings, out in ((Settings(), live), (Settings(forecast=0.0), alone)):
            chords = np.asarray(simulate_session(song.melody, StreamingPolicy(weights), settings, seed=seed, bpm=100.0))
            n = min(len(mel), len(chords))
            out.append(M.note_in_chord(mel[:n], chords[:n]).ratio)
            assert (np.flatnonzero(M.chord_event_starts(chords)) % 4 == 0).all()
    assert Settings().forecast == DEFAULT_FORECAST > 0
    assert np.mean(live) >= 0.70 and np.mean(live) > np.mean(alone) + 0.03, (live, alone)

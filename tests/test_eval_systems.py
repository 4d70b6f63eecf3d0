"""The checkpoint adapter (a streaming policy as a causal harmonizer) and the model-vs-model hook."""
import numpy as np
import pytest

from jamcore import tokens as T
from jamcore.eval import metrics as M
from jamcore.eval.adaptation import check_causal
from jamcore.eval.systems import baseline_systems, checkpoint_harmonizer, data_system, play_duet


def test_rows_say_what_they_are():
    assert data_system().harmonize is None
    rows = {s.name: s for s in baseline_systems()}
    assert set(rows) == {"tonic-triad", "note-triad-cheat", "note-triad-live"}
    assert rows["note-triad-live"].causal and not rows["note-triad-cheat"].causal


def test_streaming_policy_adapter_is_causal_and_grammatical():
    torch = pytest.importorskip("torch")
    from jamcore.config import ModelConfig
    from jamcore.models.policy import ChordPolicy
    from jamcore.stream import StreamingPolicy

    torch.manual_seed(0)
    model = ChordPolicy(ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=2 * 64 + 1))
    harmonize = checkpoint_harmonizer(StreamingPolicy(model))
    melody = np.array([T.note_on(60 + (i // 4) % 12) if i % 4 == 0 else T.note_hold(60 + (i // 4) % 12)
                       for i in range(48)])
    chords = harmonize(melody, np.random.default_rng(0))
    assert chords.shape == melody.shape
    assert (chords[:4] == T.NO_CHORD).all() and chords[4] != T.NO_CHORD  # listens a beat, then plays, as live
    assert T.CHORD_SLOT_MASK[chords].all()  # the streaming sampler masks by grammar
    assert not M.invalid_chord_frames(chords).any()
    assert np.array_equal(chords, harmonize(melody, np.random.default_rng(0)))  # seeded, resets per song
    assert check_causal(harmonize, melody, seed=1, at_frames=[10, 30])


class _Echo:
    """A toy agent: plays C major / middle C, whatever happened."""

    def __init__(self, token):
        self.token, self.heard = token, []

    def reset(self):
        self.heard = []

    def sample_chord(self, temperature, top_p, rng):
        return self.token

    def sample_melody(self, temperature, top_p, rng):
        return self.token

    def push(self, chord, melody):
        self.heard.append((chord, melody))


def test_play_duet_alternates_and_both_hear_everything():
    from jamcore.music.chords import Chord

    chord_agent, melody_agent = _Echo(T.chord_on(Chord(0, "maj"))), _Echo(T.note_on(60))
    melody, chords = play_duet(chord_agent, melody_agent, 16, np.random.default_rng(0))
    assert len(melody) == len(chords) == 16
    assert chord_agent.heard == melody_agent.heard == list(zip(chords.tolist(), melody.tolist()))
    assert M.note_in_chord(melody, chords).ratio == 1.0


@pytest.mark.parametrize("checkpoint,seed", [("gapt-1.0", 0), ("mle", 5)])
def test_eval_scores_the_chords_harmonize_plays(checkpoint, seed):
    """`jamcore eval` and `jamcore harmonize` run one loop: the same song, checkpoint and seed give the
    same chords, frame for frame (the demo melody, at the default temperature both commands use; the
    report seeds each song's loop with ``np.random.default_rng(seed)``, as ``harmonize --seed`` does)."""
    from jamcore.assets.make_demo_melody import PATH
    from jamcore.eval.systems import checkpoint_system
    from jamcore.harmonize import harmonize_file
    from jamcore.music.midi_io import load_user_melody

    heard, _, _ = harmonize_file(PATH, checkpoint=checkpoint, seed=seed)
    row = checkpoint_system(checkpoint)
    bpb = load_user_melody(PATH)[0].meter.beats_per_bar
    scored = row.harmonize(np.array(heard.melody_tokens), np.random.default_rng(seed), beats_per_bar=bpb)
    assert scored.tolist() == heard.chord_tokens

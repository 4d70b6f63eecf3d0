"""Voicing: every chord tone sounds, in a playable register, and progressions move smoothly."""
from jamcore.music.chords import ALL_CHORDS, Chord, parse_symbol
from jamcore.music.song import ChordSpan
from jamcore.music.voicing import (DEFAULT_REGISTER, bass_pitch, movement, voice_chord, voice_progression,
                                   voice_spans)


def test_every_chord_voiced_in_register_with_its_pitch_classes():
    reg = DEFAULT_REGISTER
    for chord in ALL_CHORDS:
        v = voice_chord(chord, bass=False)
        assert list(v) == sorted(v)
        assert all(reg.low <= p <= reg.high for p in v)
        assert v[-1] - v[0] <= reg.max_span
        want = set(chord.pitch_classes)
        if len(want) > 4:  # ninth chords drop the fifth
            want.discard((chord.root + 7) % 12)
        assert {p % 12 for p in v} == want


def test_bass_is_root_or_slash_bass_below_the_hands():
    v = voice_chord(Chord(7, "7"))
    assert v[0] % 12 == 7 and v[0] < v[1]
    assert DEFAULT_REGISTER.bass_low <= v[0] <= DEFAULT_REGISTER.bass_high
    assert bass_pitch(Chord(0, "maj", bass=4)) % 12 == 4
    assert voice_chord(None) == ()


def test_progression_moves_less_than_root_position_blocks():
    prog = [parse_symbol(s) for s in ["C", "F", "G7", "C", "Am", "Dm7", "G", "C"]]
    led = voice_progression(prog, bass=False)
    led_move = sum(movement(a, b) for a, b in zip(led, led[1:]))
    blocks = [tuple(sorted(60 + (pc - c.root) % 12 + c.root - 0 for pc in c.pitch_classes)) for c in prog]
    block_move = sum(movement(a, b) for a, b in zip(blocks, blocks[1:]))
    assert led_move < 0.6 * block_move
    # Common-tone moves are tiny: C -> F keeps C and moves two voices by a step or so.
    assert movement(led[0], led[1]) <= 4


def test_no_drift_over_a_long_cycle():
    prog = [parse_symbol(s) for s in ["C", "G", "Am", "F"] * 20 + ["C", "F", "Bb", "Eb", "Ab", "Db"] * 5]
    for v in voice_progression(prog):
        assert DEFAULT_REGISTER.low <= v[1] and v[-1] <= DEFAULT_REGISTER.high


def test_voice_spans_skips_no_chord_and_keeps_times():
    spans = [ChordSpan(parse_symbol("C"), 0.0, 4.0), ChordSpan(None, 4.0, 6.0), ChordSpan(parse_symbol("G"), 6.0, 8.0)]
    out = voice_spans(spans)
    assert [(v.start, v.end, v.symbol) for v in out] == [(0.0, 4.0, "C"), (6.0, 8.0, "G")]


def test_voicer_leads_from_the_last_chord_and_resets():
    from jamcore.music.voicing import Voicer

    v = Voicer()
    a = v.voice(parse_symbol("C"))
    b = v.voice(parse_symbol("F"))
    assert b == voice_chord(parse_symbol("F"), a)
    v.reset()
    assert v.voice(parse_symbol("F")) == voice_chord(parse_symbol("F"))

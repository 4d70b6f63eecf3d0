"""The config is the truth: `--profile small` is the shipped recipe (the cards' configs say so), and
`--set` types values by the field's annotation."""
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jamcore.checkpoints import SHIPPED_DIR
from jamcore.config import TRAIN_PROFILES, ModelConfig, TrainConfig, override
from jamcore.train.loop import training_config
from jamcore.train.reward_models import REWARD_PROFILES, RHYTHM_CHASE_FRACTION, RewardTrainConfig
from jamcore.train.rl import RL_PROFILES, RLConfig

ROOT = Path(__file__).resolve().parents[1]
JAMCORE = [sys.executable, "-c", "import sys; from jamcore.cli import main; sys.exit(main())"]
# How a run went, not what it computes: the thread count changes the speed, not the weights
# (docs/architecture.md, "Pipeline time").
RUN_FACTS = ("steps", "wall_seconds", "machine", "world_size", "discriminator_updates", "threads")


def recipe(training: dict, *also: str) -> dict:
    return {k: v for k, v in training.items() if k not in RUN_FACTS + also}


def shipped(name: str) -> dict:
    return json.loads((SHIPPED_DIR / f"{name}.json").read_text())


@pytest.mark.parametrize("command,name", [("mle", "mle"), ("dagger", "mle-dagger"), ("anchor", "anchor")])
def test_train_small_writes_the_shipped_cards_config(tmp_path, command, name):
    """`jamcore train X --profile small --set steps=2` writes the config the shipped X was trained with."""
    r = subprocess.run([*JAMCORE, "train", command, "--profile", "small", "--set", "steps=2", "--data-limit", "30",
                        "--out", tmp_path, "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    card, ship = json.loads((tmp_path / f"{name}.json").read_text()), shipped(name)
    assert card["training"]["steps"] == 2
    # A field added after the shipped card was trained counts only at its default (the code path the
    # card's training took): one set otherwise would be a recipe the card does not describe.
    defaults = dataclasses.asdict(TrainConfig())
    newer = {k for k in card["training"] if k not in ship["training"] and card["training"][k] == defaults.get(k)}
    assert recipe(card["training"], *newer) == recipe(ship["training"])
    assert card["model"] == ship["model"]


def test_rl_and_reward_profiles_are_the_shipped_recipes():
    """The RL and reward-model profiles against their shipped cards (fields a card predates aside;
    reward paths compared by name; the wrong-harmony judge was trained as `small` with a --set)."""
    for name, cfg in (("rl", RL_PROFILES["small"]), ("gapt-1.0", dataclasses.replace(RL_PROFILES["small"], adv_weight=1.0)),
                      ("rl-hack", RL_PROFILES["hack"]), ("rewards/contrastive-s0", REWARD_PROFILES[("small", "contrastive")]),
                      ("rewards/discriminative-s1", dataclasses.replace(REWARD_PROFILES[("small", "discriminative")], seed=1)),
                      ("rewards/discriminative-wrong-s0", REWARD_PROFILES[("hack", "discriminative")]),
                      *((f"rewards/{kind}-rhythm-s{seed}",
                         dataclasses.replace(REWARD_PROFILES[("small", kind)], seed=seed, rhythm=True,
                                             chase_fraction=RHYTHM_CHASE_FRACTION))
                        for kind in ("contrastive", "discriminative") for seed in (0, 1))):
        ship = shipped(name)["training"]
        ours = training_config(cfg)
        for key in ("contrastive", "discriminative", "rhythm_contrastive", "rhythm_discriminative"):
            if key in ship:
                ship[key] = [Path(p).name for p in ship[key]]
        # Issue 15 added the rhythm-only term; cards trained before it say nothing of it, and the term
        # was off for them (weight 0): compare them with it off. A card that has it is compared in full.
        if "weights" in ship and "rhythm" not in ship["weights"]:
            ship["weights"] = {**ship["weights"], "rhythm": 0.0}
            ours = {**ours, "weights": {**ours["weights"], "rhythm": 0.0}}
        common = set(ship) & set(ours)
        skip = ("profile",) if name.endswith("wrong-s0") else ()
        assert recipe({k: ship[k] for k in common}, *skip) == recipe({k: ours[k] for k in common}, *skip), name


def test_profile_choices_come_from_the_tables():
    r = subprocess.run([*JAMCORE, "train", "rl", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "{hack,small,smoke}" in r.stdout.replace("\n", "").replace(" ", ""), r.stdout
    assert set(TRAIN_PROFILES["anchor"]) == {"smoke", "small", "base"}


def test_set_types_values_by_annotation():
    rw = override(REWARD_PROFILES[("small", "discriminative")], ["shift_beats=1,2", "wrong_fraction=0.5"])
    assert rw.shift_beats == (1, 2) and rw.wrong_fraction == 0.5
    rl = override(RLConfig(), ["contrastive=a,b", "weights.harmony=2", "schedule.threshold=0.8", "adv_std_norm=true"])
    assert rl.contrastive == ("a", "b") and rl.weights.harmony == 2.0 and rl.schedule.threshold == 0.8
    assert rl.adv_std_norm is True

    @dataclasses.dataclass(frozen=True)
    class WithOptional:
        limit: int | None = None
        name: str = "x"

    assert override(WithOptional(), ["limit=12"]).limit == 12  # None default, typed by its annotation
    assert override(WithOptional(limit=3), ["limit=none"]).limit is None
    assert override(TrainConfig(), ["model.d_model=192"]).model == dataclasses.replace(ModelConfig(), d_model=192)
    with pytest.raises(ValueError, match="shift_beats=1,x: expected int"):
        override(RewardTrainConfig(), ["shift_beats=1,x"])
    with pytest.raises(ValueError, match="unknown config field 'nope'"):
        override(TrainConfig(), ["nope=1"])

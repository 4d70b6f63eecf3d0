"""Write docs/reward-hacking.md and docs/gapt.md from a `jamcore eval` run and the RL training logs.

    python training/make_docs.py --eval runs/eval/metrics.json --logs jamcore/checkpoints/state

Both documents are generated, never edited by hand, so they stay true to the shipped checkpoints:
the tables come from `metrics.json`, the curves from each run's `NAME.log.csv`, and the knob plot
(diversity against harmony across the adversarial weight) from both.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)
from rhythm_docs import (chase_curve_section, fmt_value, hedge_section, judge_chase_ranking,  # noqa: E402
                         judges_section, read_log, sweep_section)

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    ("nic", "NIC", "{:.3f}"),
    ("entropy_song_mean", "H song-mean (nats)", "{:.3f}"),
    ("entropy_pooled", "H pooled (nats)", "{:.3f}"),
    ("distinct_chords_song_mean", "chords/song", "{:.2f}"),
    ("distinct_chords_total", "chords total", "{:.0f}"),
    ("vendi_bag", "Vendi (bag)", "{:.2f}"),
    ("vendi_embed", "Vendi (contrastive emb.)", "{:.2f}"),
    ("longest_run_beats_song_mean", "longest run (beats)", "{:.1f}"),
    ("changes_per_bar", "changes/bar", "{:.2f}"),
    ("related_change_share", "related changes", "{:.2f}"),
    ("on_beat_share", "on a beat", "{:.2f}"),
    ("chase_share", "chase", "{:.3f}"),
    ("lateness", "lateness", "{:+.3f}"),
    ("pcs_per_chord", "pcs/chord", "{:.2f}"),
    ("chord_silence", "chord silence", "{:.3f}"),
]


# A note-in-chord difference smaller than this, on 50 songs, is not called a gain.
HARMONY_GAIN = 0.02
# Within-song entropy below this share of the data's is called a collapse (issue 15's diversity target).
COLLAPSE_SHARE = 0.9


def rl_hack_verdict(h: dict, m: dict) -> str:
    """One sentence on whether `rl-hack` (metrics ``h``; ``m``: every system's) shows the finding against
    `mle` and the data: more harmony than `mle`, less within-song variety than the data."""
    gain = h["nic"] - m["mle"]["nic"]
    below_data = h["entropy_song_mean"] < COLLAPSE_SHARE * m["data"]["entropy_song_mean"]
    off_beat = h["on_beat_share"] < 0.8
    if gain > HARMONY_GAIN and below_data:
        return ("**The finding shows here**: more harmony than `mle`, less diversity than the data (within-song "
                "and pooled entropy, and far fewer distinct progressions), longer chord runs"
                + ("; between them it flickers, often off the beat." if off_beat else ".")
                + " This is the baseline that hacks.")
    if below_data and gain <= HARMONY_GAIN:
        return ("At this grid and temperature only the collapse half shows: diversity below the data's and long "
                "chord runs, but no harmony gain over `mle`"
                + (" (its changes fall on the beat: the off-beat flicker that earned its note-in-chord at the "
                   "16th grid is gone)." if not off_beat else "."))
    if gain > HARMONY_GAIN:
        return ("Harmony up from `mle`, but within-song entropy not below 0.9x the data's: it repeats a narrower "
                "set of progressions rather than holding a few chords.")
    return "Neither half of the finding shows: no harmony gain and within-song entropy not below 0.9x the data's."

def table(systems: dict, names: list[str], extra: dict[str, dict] | None = None) -> str:
    cols = [c for c in COLUMNS if any(c[0] in systems[n]["metrics"] for n in names if n in systems)]
    head = ["system", *[c[1] for c in cols]]
    if extra:
        head += list(next(iter(extra.values())).keys())
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for n in names:
        if n not in systems:
            continue
        m = systems[n]["metrics"]
        row = [f"`{n}`", *[fmt_value(m.get(k), f) for k, _, f in cols]]
        if extra:
            row += [str(v) for v in extra.get(n, {}).values()]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def plot_curves(logs: dict[str, list[dict]], out: Path) -> None:
    keys = [("reward_total", "total reward"), ("nic", "note-in-chord of rollouts"),
            ("entropy_song_mean", "within-song chord entropy (nats)"), ("distinct_chords", "distinct chords per song"),
            ("kl_anchor", "KL to the offline anchor"), ("reward_adversarial", "adversarial reward (lambda * r_adv)")]
    fig, axes = plt.subplots(2, 3, figsize=(13, 6.5))
    for ax, (k, label) in zip(axes.flat, keys):
        for name, rows in logs.items():
            if rows and k in rows[0]:
                ax.plot([r["step"] for r in rows], [r[k] for r in rows], label=name)
        ax.set_title(label, fontsize=9)
        ax.set_xlabel("PPO step", fontsize=8)
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)


def plot_knob(systems: dict, names: list[str], lambdas: dict[str, float], out: Path) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for n in names:
        if n not in systems:
            continue
        m = systems[n]["metrics"]
        x, y = m.get("nic"), m.get("entropy_song_mean")
        ax.scatter([x], [y], s=50)
        label = f"{n}" + (f" (lambda {lambdas[n]:g})" if n in lambdas else "")
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
    pts = sorted((lambdas[n], systems[n]["metrics"]["nic"], systems[n]["metrics"]["entropy_song_mean"])
                 for n in names if n in lambdas and n in systems)
    if len(pts) > 1:
        ax.plot([p[1] for p in pts], [p[2] for p in pts], "--", color="grey", lw=1)
    ax.set_xlabel("harmony: note-in-chord ratio")
    ax.set_ylabel("diversity: within-song chord entropy (nats)")
    ax.set_title("The adversarial-weight knob")
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", required=True, help="metrics.json of a jamcore eval over mle, rl, gapt-*")
    ap.add_argument("--logs", required=True, help="folder with the RL/GAPT training logs (NAME.log.csv)")
    ap.add_argument("--checkpoints", default=str(ROOT / "jamcore" / "checkpoints"), help="shipped checkpoints")
    ap.add_argument("--docs", default=str(ROOT / "docs"))
    ap.add_argument("--sweep", default=None,
                    help="state folder of training/disc_sweep.sh (its sweep-eval*/ and logs; default: --logs)")
    ap.add_argument("--judges", action="store_true",
                    help="score every judge in CHECKPOINTS/rewards on the data's chords vs their chasing track "
                         "(loads torch and the test split)")
    ap.add_argument("--data-dir", default=None, help="datasets folder for --judges (default: the project's)")
    ap.add_argument("--write-cards", action="store_true",
                    help="also record each evaluated checkpoint's test metrics in its model card")
    args = ap.parse_args()

    ev = json.loads(Path(args.eval).read_text())
    systems = ev["systems"]
    docs = Path(args.docs)
    img = docs / "img"
    img.mkdir(parents=True, exist_ok=True)
    ckpt = Path(args.checkpoints)
    cfg = ev["config"]
    gapts = sorted((n for n in systems if n.startswith("gapt-")), key=lambda n: float(n.split("-", 1)[1]))
    lambdas = {"rl": 0.0, **{n: float(n.split("-", 1)[1]) for n in gapts}}
    cards = {n: json.loads((ckpt / f"{n}.json").read_text()) for n in ["mle", "mle-dagger", "rl", "rl-hack", *gapts]
             if (ckpt / f"{n}.json").is_file()}
    rl_card = cards.get("rl", {})
    if args.write_cards:
        for n, card in cards.items():
            if n not in systems:
                continue
            em = systems[n]["metrics"]
            card.setdefault("metrics", {}).update({
                "note_in_chord": em.get("nic"), "chord_entropy": em.get("entropy_song_mean"),
                "distinct_chords_per_song": em.get("distinct_chords_song_mean"),
                "longest_run_beats": em.get("longest_run_beats_song_mean"), "vendi_embed": em.get("vendi_embed"),
                "changes_per_bar": em.get("changes_per_bar"), "on_beat_share": em.get("on_beat_share"),
                "chase_share": em.get("chase_share"), "sync_emd": em.get("sync_emd"),
                "rhythm_diversity": em.get("rhythm_diversity"), "grid": cfg.get("grid"),
                "temperature": cfg.get("temperature"), "recall": cfg.get("recall", 0.0),
                "eval": f"jamcore eval, {cfg.get('songs')} {cfg.get('split')} songs, seed {cfg.get('seed')}, "
                        f"grid {cfg.get('grid')}, temperature {cfg.get('temperature')}, "
                        f"recall {cfg.get('recall', 0.0):g}",
            })
            (ckpt / f"{n}.json").write_text(json.dumps(card, indent=2) + "\n")
    logs = {n: read_log(Path(args.logs) / f"{n}.log.csv") for n in ["rl", "rl-hack", *gapts]}
    plot_curves({k: logs[k] for k in ("rl", "rl-hack") if logs[k]}, img / "rl-curves.png")
    logs.pop("rl-hack")
    plot_curves(logs, img / "gapt-curves.png")
    order = ["data", "mle", "mle-dagger", "rl", *gapts, "tonic-triad", "note-triad-cheat", "note-triad-live"]
    plot_knob(systems, ["data", "mle", "rl", *gapts], lambdas, img / "gapt-knob.png")
    header = (f"{cfg.get('songs')} songs of the `{cfg.get('split')}` split, seed {cfg.get('seed')}, "
              f"machine {ev.get('machine', {}).get('platform', '?')}. Generated by `training/make_docs.py` "
              f"from `jamcore eval`; definitions in `docs/metrics.md`.")

    m = {n: systems[n]["metrics"] for n in ("data", "mle", "rl", "rl-hack") if n in systems}
    verdict = []
    if {"data", "mle", "rl"} <= set(m):
        up = m["rl"]["nic"] - m["mle"]["nic"]
        verdict.append(f"- Harmony: `rl` note-in-chord {m['rl']['nic']:.3f} vs `mle` {m['mle']['nic']:.3f} "
                       f"({'+' if up >= 0 else ''}{up:.3f}); the data {m['data']['nic']:.3f}.")
        verdict.append(f"- Diversity: `rl` within-song chord entropy {m['rl']['entropy_song_mean']:.3f} nats vs the "
                       f"data's {m['data']['entropy_song_mean']:.3f} and `mle`'s {m['mle']['entropy_song_mean']:.3f}; "
                       f"distinct chords per song {m['rl']['distinct_chords_song_mean']:.2f} vs "
                       f"{m['data']['distinct_chords_song_mean']:.2f} (data).")
        collapsed = m["rl"]["entropy_song_mean"] < COLLAPSE_SHARE * m["data"]["entropy_song_mean"]
        rhythm = (f"chord changes on a beat {100 * m['rl']['on_beat_share']:.0f}% vs `mle`'s "
                  f"{100 * m['mle']['on_beat_share']:.0f}% and the data's {100 * m['data']['on_beat_share']:.0f}%, "
                  f"{m['rl']['changes_per_bar']:.2f} changes a bar vs {m['mle']['changes_per_bar']:.2f} and "
                  f"{m['data']['changes_per_bar']:.2f}")
        if up > HARMONY_GAIN and collapsed:
            why = "**the collapse shows**: `rl` gains harmony and falls below 0.9x the data's diversity."
        elif up <= HARMONY_GAIN:
            why = (f"**no harmony gain** (at most {HARMONY_GAIN} of note-in-chord): {rl_card.get('training', {}).get('steps', '?')} steps did not raise it. "
                   "Why, measured: see *What RL can and cannot do here* below.")
        elif collapsed:
            why = f"**harmony up, within-song entropy below 0.9x the data's** ({rhythm})."
        elif m["mle"]["on_beat_share"] - m["rl"]["on_beat_share"] > 0.1:
            why = ("**harmony up, diversity not collapsed: the hack is rhythmic.** `rl` fits the melody by "
                   "changing chord off the beat, right after the notes it chases (" + rhythm + "); its "
                   "within-song entropy stays at `mle`'s, above the data's. The harmony reward pays a chord for "
                   "the notes it sounds under, and a chord changed just after a new note is heard pays almost as "
                   "well as one that anticipated it.")
        else:
            why = (f"**harmony up, within-song entropy at least 0.9x the data's** ({rhythm}); progression diversity "
                   f"(Vendi over transition bags) {m['rl']['vendi_bag']:.1f} vs `mle`'s {m['mle']['vendi_bag']:.1f} "
                   f"and the data's {m['data']['vendi_bag']:.1f}.")
        verdict.append("- Verdict for `rl`: " + why)
        if "rl-hack" in m:
            h = m["rl-hack"]
            h_up = h["nic"] - m["mle"]["nic"]
            h_train = cards.get("rl-hack", {}).get("training", {})
            verdict.append(
                f"- **`rl-hack`**, the reward-hacking baseline (`--profile hack`: no anchor KL, no entropy bonus, "
                f"{h_train.get('steps', '?')} steps at lr {h_train.get('actor_lr', '?')}; a discriminative reward "
                f"trained with wrong-harmony negatives judging every 4-bar window, and a light harmony credit, "
                f"weight {h_train.get('weights', {}).get('harmony', '?')}): NIC {h['nic']:.3f} "
                f"({'+' if h_up >= 0 else ''}{h_up:.3f} "
                f"over `mle`), within-song entropy {h['entropy_song_mean']:.3f} "
                f"{'(just below) ' if 0 < m['data']['entropy_song_mean'] - h['entropy_song_mean'] < 0.05 else ''}"
                f"vs the data's "
                f"{m['data']['entropy_song_mean']:.3f}, pooled {h['entropy_pooled']:.3f} vs "
                f"{m['data']['entropy_pooled']:.3f}, distinct chords per song {h['distinct_chords_song_mean']:.2f}, "
                f"longest run {h['longest_run_beats_song_mean']:.1f} beats (data "
                f"{m['data']['longest_run_beats_song_mean']:.1f}), {h['changes_per_bar']:.2f} chord changes a bar "
                f"({100 * h['on_beat_share']:.0f}% on a beat); progression diversity (Vendi over transition "
                f"bags) {h['vendi_bag']:.1f} vs `mle`'s {m['mle']['vendi_bag']:.1f} and the data's "
                f"{m['data']['vendi_bag']:.1f}. "
                + rl_hack_verdict(h, m))
    rl_w_harmony = rl_card.get("training", {}).get("weights", {}).get("harmony", "?")
    rl_onsets = ", each note judged at its onset" if rl_card.get("training", {}).get("harmony_onsets") else ""
    sweep_state = Path(args.sweep or args.logs)
    judges = judges_section(judge_chase_ranking(ckpt / "rewards", args.data_dir), img) if args.judges else ""
    chase = chase_curve_section(sweep_state, img)
    hedge = hedge_section(systems)
    sweep = sweep_section(sweep_state, systems.get("data", {}).get("metrics"))
    (docs / "reward-hacking.md").write_text(f"""# Reward hacking: RL on coherence rewards alone

{header}

`rl` is the shipped `{rl_card.get('parent', 'mle')}` policy post-trained with PPO on the coherence rewards: the learned
contrastive and discriminative ensembles (two seeds each, scored at the episode end), and a rule-based
harmony credit per chord decision (the note-in-chord share of the notes in the bar ahead{rl_onsets}, weight {rl_w_harmony};
`jamcore/rewards.py`), plus the rule penalties, a per-frame KL to the offline anchor, and **no
adversarial term** (lambda 0). Its command: `{rl_card.get('command', '?')}` (the `small` profile).

{chr(10).join(verdict)}

{table(systems, [n for n in ['data', 'mle', 'rl', 'rl-hack', 'tonic-triad', 'note-triad-cheat', 'note-triad-live'] if n in systems])}

Training curves of the `rl` run (rollouts against training melodies):

![rl curves](img/rl-curves.png)

What to look for: reward hacking shows as note-in-chord rising while within-song entropy and distinct
chords fall, the policy holding a few safe chords that please the reward models (the verdict above says
whether this run shows it). The rule baselines bracket the picture: `tonic-triad` is total collapse,
`note-triad-cheat` shows how far note-in-chord alone can be gamed by a rule that sees the note it
accompanies.

History: with the earlier `mle` (plain teacher forcing, test NIC 0.365, within-song entropy 1.969) the
learned ensembles alone gave `rl` NIC 0.426 and entropy 1.819, and the `hack` profile of the time (no anchor KL, no
entropy bonus, 200 steps) NIC 0.431, entropy 2.259. From the current `mle` the ensembles alone *lost*
harmony (NIC 0.532 vs 0.585, entropy 2.055): they do not rank harmony within a melody (below). The
harmony credit per decision is what lets RL raise note-in-chord here.

## What RL can and cannot do here (measured 2026-12-01, from the noise-trained base `mle`)

40-step runs of the small recipe, rollout metrics on training melodies (16 episodes a step, means of
the first and last 8-10 steps):

1. **The shipped reward models do not rank harmony.** On 12 test windows x 8 rollouts of the base
   `mle`, both ensembles scored the rollouts at or above the data's chords (contrastive 0.770 vs 0.743,
   discriminative -0.38 vs -0.72) although their note-in-chord is 0.515 vs 0.777; among the 8 plays of
   one melody, their rank correlation with note-in-chord is 0.08 (contrastive) and 0.01
   (discriminative). Retrained with wrong-harmony negatives (the window's own chords with a span
   moved to another key or chord events moved to other roots, `--set wrong_fraction=0.5`): rollouts now
   score below the data (0.599 vs 0.664; -1.15 vs -0.52) and real-vs-wrong-harmony held-out accuracy is
   0.94-0.96, but the within-melody rank correlation with note-in-chord is still only 0.12 / 0.13.
2. **PPO cannot climb even a perfect harmony reward with one score per 256-frame episode.** With
   note-in-chord itself as the reward: lr 1e-4 and 3e-4, note-in-chord 0.531 -> 0.535 and 0.534 -> 0.529;
   with GRPO std normalisation 0.535 -> 0.527; at lr 1e-3 the policy collapses (entropy 1.74 -> 0.89
   nats) and note-in-chord falls (0.513 -> 0.445). One decision among 256 gets the noise of the 255
   others. With local credit (`credit_bars=4`) and std normalisation at 3e-4 it climbs, slowly:
   0.532 -> 0.549 in 40 steps (at 1e-3 it collapses again, 0.531 -> 0.496).
3. **On the retrained rewards with local credit, the collapse half of the finding appears without the
   harmony half**: reward 0.03 -> 0.19 (the discriminative term), within-song entropy 1.77 -> 1.31,
   distinct chords per song 13.1 -> 9.6, note-in-chord 0.531 -> 0.510: the policy pleases the reward
   models by changing chord less often, not by fitting the melody better.

So the learned ensembles alone do not add harmony at this scale, and one harmony score per episode is
too blunt for PPO. The shipped recipe therefore credits each decision with the harmony of the bar it
leads into (`harmony_horizon=16` frames, now weight {rl_w_harmony}): that climbs (the table above). A credit of one
frame (`harmony_horizon=1`) climbs faster and teaches the policy to change chord one frame after each
new note (the chord for a frame is chosen before its note is heard). Retrained ensembles (negatives
from the policy's own rollouts) remain the way to a learned harmony reward.

## The harmony credit, measured (2026-12-01, from the shipped `mle`)

Rollout metrics on training melodies (16 episodes a step, temperature 1), first vs last 5-10 steps:

- **Horizon.** One frame (weight 1, 30 steps): note-in-chord 0.54 -> 0.70-0.76, policy entropy up
  (0.70 -> 1.07 nats), distinct chords per song up: it chases notes. Four frames (40 steps): 0.54 ->
  0.68. Sixteen frames (the shipped horizon; measured at weight 2, 120 steps): 0.57 -> 0.70, on the test songs 0.663
  (that day's `rl`). At weight 1 and lr 2e-4 it climbs about half as fast.
- **Judged at note onsets** (`harmony_onsets=true`, each note scored once at its first frame, weighted
  by its length, so a chord changed after a note began earns nothing for it), 120 steps: 0.55 -> 0.59,
  with the on-beat share kept (0.62) and fewer changes a bar (2.8 -> 1.7). At temperature 0.5 on the 30
  test tunes of `bench/bench_harmonize.py`: 0.572 with only 0.76 changes a bar (90% on a beat). Run
  longer (240 steps, lr 2e-4; not shipped): on the 50 test songs at temperature 1 note-in-chord 0.614
  with 63% of changes on a beat and 1.58 changes a bar (`mle` 0.585, 59%, 2.67), but long holds (longest
  run 17.9 beats, data 7.3); at 0.5 on the 30 tunes 0.623 with 0.85 changes a bar, 93% on a beat. The
  lever for a harmony gain that keeps the rhythm; the shipped chain does not use it yet.
- **Where the gain comes from.** Forcing every policy to change chord only on a beat at decoding time
  (30 test tunes, temperature 0.5) costs the RL policies most of their gain: `rl` 0.676 -> 0.591,
  `gapt-1.0` 0.646 -> 0.589, `mle` 0.575 -> 0.549. Much of what the harmony credit teaches is to
  follow the melody a sixteenth late: on 15 test tunes (`harmonize`, temperature 0.5, seed 1), 38% of
  `rl`'s chord changes and 23% of `gapt-1.0`'s come one frame after a melody note began, 5% of `mle`'s.
- **No collapse from harmony.** Without the anchor KL and the entropy bonus, at lr 1e-3 (60 steps) or
  with four PPO epochs a step (40 steps), the policy reaches 0.65-0.75 on its rollouts while its
  distinct chords per song *rise* (15 -> 18-23). A harmony reward that can be met by following the
  melody does not make it hold a few safe chords; only the window-credited discriminative reward pulls
  toward fewer chords (point 3 above), which is what `rl-hack` combines with a light harmony credit.
- **The hack profile's harmony weight** (200 steps, lr 3e-4): at 0.3 (shipped `rl-hack`) rollouts go
  from note-in-chord 0.55 / within-song entropy 1.90 / longest run 8 beats to 0.61-0.67 / 1.2-1.45 /
  22-26 beats; at 0.15 the collapse is deeper (entropy 0.8, runs of 35-41 beats, 7 distinct chords a
  song) but note-in-chord falls (0.50-0.53): harmony up and diversity down need both terms. At lr 1e-4
  and 150 steps the same rewards moved less (test within-song entropy 1.70, above the data's).
- **`rl-hack` on other song sets** (`jamcore eval --seed 1` and `--seed 2`, 50 test songs each): NIC
  0.686 / 0.668 (`mle` 0.560 / 0.576), within-song entropy 1.428 / 1.424 vs the data's 1.444 / 1.502,
  progression Vendi 9.8 / 11.6 vs 28.8 / 32.3: below the data on every set.

{judges}
{chase}
{hedge}""")

    extra = {n: {"lambda": f"{lambdas.get(n, '-')}", "D updates":
                 cards.get(n, {}).get("training", {}).get("discriminator_updates", "-")} for n in order}
    targets = []
    if {"data", "rl"} <= set(m) and gapts:
        for n in gapts:
            g = systems[n]["metrics"]
            div = g["entropy_song_mean"] / m["data"]["entropy_song_mean"]
            targets.append(f"- `{n}`: within-song entropy {100 * div:.0f}% of the data's "
                           f"(target: within 10%), NIC {g['nic']:.3f} vs `rl` {m['rl']['nic']:.3f} "
                           f"(target >= rl - 0.02) and `mle` {m.get('mle', {}).get('nic', float('nan')):.3f} "
                           f"(target above).")
    levers_file = Path(__file__).with_name("gapt_levers.md")
    levers = levers_file.read_text() if levers_file.is_file() else ""
    (docs / "gapt.md").write_text(f"""# GAPT: a co-evolving discriminator against reward hacking

{header}

## Method, and where each piece lives
- Policy reward, every term composed in one place (`jamcore/rewards.py: RewardSet.score`): per episode
  the coherence ensembles + rule penalties + **lambda * r_adv**, with `r_adv = -log(1 - D(chords) + eps)`
  (`adversarial_reward`); per decision the harmony credit of the bar ahead (`RewardSet.harmony_credit`).
  The KL to the offline anchor comes from its log-probs, computed once per step
  (`jamcore/train/rl.py: reference_log_probs`).
- D sees the policy's chord stream only (`jamcore/models/discriminator.py`), trained on fresh rollouts
  (label 0) against the data chords paired with the same melodies (label 1), label smoothing 0.1
  (`discriminator_step`).
- Two-stage schedule (`DiscriminatorSchedule`): during warm-up D trains every k policy steps; afterwards
  only while the running mean of r_adv over the last few steps is above a threshold (the policy is
  fooling it). Defaults in `ScheduleConfig`.

```
for step in range(steps):                                # jamcore/train/rl.py: train_rl
    melodies, data_chords = sample(train windows)          # sample_episodes
    chords = rollout(policy, melodies)                     # train/rollout.py: chord t from melody < t
    R = coherence(melodies, chords) + rules(chords)        # RewardSet.score; + harmony credit per decision
    if lambda > 0: R += lambda * -log(1 - D(chords))       #   (computed before D's update)
    A = R - mean(R over the 4 plays of the same melody)    # ppo.advantages (GAE + value head when group = 1)
    PPO_clip(A) + beta * KL(policy || anchor) - ent * H    # ppo.ppo_update, per decision
    if lambda > 0 and schedule.should_train(step): D.update(chords -> 0, data_chords -> 1)  # gapt.py
    schedule.record(mean r_adv)
```

## Results

{table(systems, order, extra)}

{chr(10).join(targets)}

![the knob](img/gapt-knob.png)

Training curves of every arm:

![curves](img/gapt-curves.png)

{sweep}
{levers}""")
    print(f"wrote {docs / 'reward-hacking.md'} and {docs / 'gapt.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

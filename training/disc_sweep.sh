#!/usr/bin/env bash
# Issue 15, item 3: the paper's chord-only GAPT discriminator against one that also hears each frame's place
# in the bar (`--set disc_meter=true`), at adversarial weight 1.0, same seeds, beside `rl` (no
# discriminator); two seeds each; and `rl-norhythm`, `rl` without the rhythm-only judges and the grid
# drawn per episode (issue 15's additions), for the chase curve of docs/reward-hacking.md. Needs the pipeline's first phase in OUT
# (mle, mle-dagger, anchor, every judge).
#
#   training/disc_sweep.sh OUT [extra training args]
#
# `rl` (seed 0) is the pipeline's own stage, trained into OUT if missing, and the chord-only arm's seed 0
# is the pipeline's `gapt-1.0`, copied (trained only if OUT lacks it); the other runs go to OUT/sweep. It may
# run beside training/pipeline.sh on the same OUT (its queue takes the pipeline's two runs last).
# Then all seven are evaluated on the test split twice: at the 16th grid, where a chord may come a 16th
# after the note (the chase), and at the default grid: OUT/state/sweep-eval-16th and OUT/state/sweep-eval.
# Resumable and timed like the pipeline (training/stages.sh). SEED1="chord meter" (default) names the
# discriminator arms that also train seed 1; runs missing from OUT are left out of the evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 OUT [extra training args]" >&2; exit 2; }
OUT="$(realpath -m "$1")"; shift  # absolute, as training/pipeline.sh names it (await_pipeline matches it)
EXTRA=("$@")
JAM="${JAMCORE:-.venv/bin/jamcore}"
LANES="${LANES:-2}"
STATE="$OUT/state"
SWEEP="$OUT/sweep"
mkdir -p "$SWEEP" "$STATE"
source training/stages.sh
CK=(--checkpoint-dir "$OUT")

gapt() {  # gapt D SEED: gapt-1.0 with the chord-only (D=chord) or metre-hearing (D=meter) discriminator
    local meter=false; [ "$1" = meter ] && meter=true
    stage "gapt-1.0-$1-s$2" "$SWEEP" $JAM train gapt --adv-weight 1.0 --profile small --seed "$2" \
        --set "disc_meter=$meter" "${CK[@]}"
}
await_pipeline() {  # await_pipeline NAME: while training/pipeline.sh is training NAME into OUT, wait for it
    # (its process runs, or it has written the weights and not yet moved them and the card, card last)
    while { pgrep -f -- "--name $1 --out $STATE" > /dev/null || [ -f "$STATE/$1.safetensors" ]; } \
        && [ ! -f "$OUT/$1.json" ]; do sleep 20; done
}
chord_s0() {  # the chord-only arm at seed 0 is the pipeline's gapt-1.0 (same recipe and seed; the runs are
    # deterministic, a retrain came out byte-identical): taken from OUT when it is there, else trained
    local run=gapt-1.0-chord-s0
    await_pipeline gapt-1.0
    if [ -f "$OUT/gapt-1.0.safetensors" ] && [ -f "$OUT/gapt-1.0.json" ] && [ ! -f "$SWEEP/$run.safetensors" ]; then
        # Weights first, card last, each through a temporary name: a kill leaves no pair that looks done.
        cp "$OUT/gapt-1.0.safetensors" "$SWEEP/$run.tmp" && mv "$SWEEP/$run.tmp" "$SWEEP/$run.safetensors" || return 1
        cp "$OUT/gapt-1.0.json" "$SWEEP/$run.tmp" && mv "$SWEEP/$run.tmp" "$SWEEP/$run.json" || return 1
        if [ -f "$STATE/gapt-1.0.log.csv" ]; then cp "$STATE/gapt-1.0.log.csv" "$STATE/$run.log.csv"; fi
        echo "[$run] the pipeline's gapt-1.0"
    else
        gapt chord 0
    fi
}
SEED1="${SEED1:-chord meter}"
run() {  # run NAME: one run of the sweep
    case "$1" in
        rl) await_pipeline rl; stage rl "$OUT" $JAM train rl --profile small "${CK[@]}" ;;
        rl-s1) stage rl-s1 "$SWEEP" $JAM train rl --profile small --seed 1 "${CK[@]}" ;;
        rl-norhythm) stage rl-norhythm "$SWEEP" $JAM train rl --profile small --set weights.rhythm=0 \
            --set grid_choices=16th "${CK[@]}" ;;
        gapt-1.0-chord-s0) chord_s0 ;;
        gapt-1.0-*-s1) gapt "$(echo "$1" | cut -d- -f3)" 1 ;;
        gapt-1.0-meter-s0) gapt meter 0 ;;
    esac
}
# One queue that both lanes drain (training/stages.sh). The pipeline's own runs (rl, and gapt-1.0 as the
# chord-only arm's seed 0) come last: when the sweep runs beside the pipeline they are done by then.
RUNS=(rl-s1 gapt-1.0-meter-s0 rl-norhythm)
for arm in $SEED1; do RUNS+=("gapt-1.0-$arm-s1"); done
RUNS+=(rl gapt-1.0-chord-s0)
queue sweep
sweep_lane() { drain run "${RUNS[@]}"; }
lanes sweep_lane sweep_lane

names="$OUT/rl"
for run in rl-s1 rl-norhythm gapt-1.0-chord-s0 gapt-1.0-chord-s1 gapt-1.0-meter-s0 gapt-1.0-meter-s1; do
    [ -f "$SWEEP/$run.safetensors" ] && names="$names,$SWEEP/$run"
done
for grid in 16th default; do
    dest="$STATE/sweep-eval"; args=()
    [ "$grid" = 16th ] && dest="$STATE/sweep-eval-16th" && args=(--grid 16th)
    # Current when no run it scores is newer than it (a run retrained since is scored again).
    report_current "$dest/metrics.json" "$OUT" "$SWEEP" && { echo "[sweep eval $grid] done already"; continue; }
    t0=$SECONDS
    guarded $JAM eval --checkpoints "$names" --songs 50 --embed none --melody-agent none --no-baselines --no-plots \
        "${args[@]}" --out "$dest"
    printf 'sweep-eval-%s\t%s\tfresh\n' "$grid" "$((SECONDS - t0))" >> "$STATE/times.tsv"
done
echo "disc sweep: done; $STATE/sweep-eval-16th/report.md and $STATE/sweep-eval/report.md"

#!/usr/bin/env bash
# The whole pipeline, data to every shipped checkpoint and the evaluation report:
#   data -> (mle, mle-dagger, melody agent) | (anchor)   two lanes, then both drain one queue of
#           reward models: 2 seeds x 2 kinds, harmony and rhythm-only [, the hack's judge]
#        -> rl, the gapt sweep [, rl-hack]      one queue, two lanes
#        -> eval
#
#   training/pipeline.sh smoke [OUT]   seconds per stage, for CI (default OUT: a temp dir)
#   training/pipeline.sh small [OUT]   the shipped run (default OUT: jamcore/checkpoints)
#
# Stages that do not need each other run in two lanes side by side (`|` above; each small stage trains
# on one thread, so the two lanes fill a 2-core machine); LANES=1 runs them one after another, and the
# `small` evaluation scores LANES systems at a time (`jamcore eval --workers`). A lane that is free takes the
# next stage of its phase's queue (training/stages.sh), so the lanes finish together whatever each
# stage costs that day. Every stage's wall time goes to OUT/state/times.tsv (the
# model cards keep each run's own wall_seconds) and the whole run's is printed at the end; the time the
# `small` run takes on 2 cores is in docs/architecture.md ("Pipeline time").
#
# Every stage runs its profile (`--profile smoke|small`, and `hack` for the reward-hacking baseline): the
# recipe lives in the profile tables (jamcore/config.py, jamcore/train/reward_models.py, jamcore/train/rl.py),
# so a card's config is the profile's. Every stage resumes from its last training state if the script is run again after a kill
# (stages whose checkpoint already exists are skipped). Extra arguments after OUT go to every
# training command, e.g. `--data-dir /path/to/datasets`.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-smoke}"
case "$MODE" in
    smoke) OUT="${2:-$(mktemp -d)}"; LAMBDAS="1.0" ;;
    small) OUT="${2:-jamcore/checkpoints}"; LAMBDAS="0.25 1.0 4.0" ;;
    *) echo "usage: $0 smoke|small [OUT] [extra training args]" >&2; exit 2 ;;
esac
OUT="$(realpath -m "$OUT")"  # absolute: training/disc_sweep.sh beside it recognises its runs by it
shift $(( $# >= 2 ? 2 : $# ))
EXTRA=("$@")
JAM="${JAMCORE:-.venv/bin/jamcore}"
LANES="${LANES:-2}"
STATE="${OUT}/state"   # training states, logs and curves (not shipped)
mkdir -p "$OUT/rewards" "$STATE"
echo "pipeline: $MODE -> $OUT"

source training/stages.sh  # stage (skip / resume / time one training command) and lanes

T_START=$SECONDS
guarded $JAM data build "${EXTRA[@]}"
# The data's forecast of the next beat (jamcore/forecast.py; the live path reads the shipped one): counts,
# one pass over the training songs, seconds.
if [ -f "$OUT/forecast.safetensors" ]; then echo "[forecast] done already"; else
    t0=$SECONDS; guarded $JAM train forecast --profile "$MODE" --out "$OUT/forecast"
    printf 'forecast\t%s\tfresh\n' "$((SECONDS - t0))" >> "$STATE/times.tsv"
fi
CK=(--checkpoint-dir "$OUT")  # RL finds mle/anchor in OUT and the reward models in OUT/rewards

# Every reward model: harmony and rhythm-only, two kinds x two seeds, and in small mode the judge the
# reward-hacking baseline exploits (docs/reward-hacking.md), the shortest, last.
JUDGES=()
for r in "" -rhythm; do
    for kind in contrastive discriminative; do JUDGES+=("$kind$r-s0" "$kind$r-s1"); done
done
[ "$MODE" = small ] && JUDGES+=(discriminative-wrong-s0)
judge() {  # judge NAME: train the reward model NAME (KIND[-rhythm]-sSEED or discriminative-wrong-s0)
    local kind="${1%%-*}" seed="${1##*-s}"
    case "$1" in
        discriminative-wrong-s0) stage "$1" "$OUT/rewards" $JAM train reward --kind discriminative --profile hack ;;
        *-rhythm-*) stage "$1" "$OUT/rewards" $JAM train reward --kind "$kind" --rhythm --seed "$seed" \
            --profile "$MODE" ;;
        *) stage "$1" "$OUT/rewards" $JAM train reward --kind "$kind" --seed "$seed" --profile "$MODE" ;;
    esac
}
policy_lane() {
    stage mle "$OUT" $JAM train mle --profile "$MODE"
    # A round on its own chords from that mle: the start RL and GAPT train from (jamcore/train/dagger.py).
    stage mle-dagger "$OUT" $JAM train dagger --profile "$MODE" --checkpoint-dir "$OUT"
    stage melody "$OUT" $JAM train melody --profile "$MODE"   # the simulated partner for model-vs-model eval
    drain judge "${JUDGES[@]}"
}
judges_lane() {
    stage anchor "$OUT" $JAM train anchor --profile "$MODE"
    drain judge "${JUDGES[@]}"
}
queue judges
lanes policy_lane judges_lane

# RL and every GAPT run start from mle-dagger (rl-hack from mle) and read the same judges: they only need phase one. One queue,
# in this order: rl, the GAPT runs (each about as long as rl), then rl-hack (a fraction of one), so the
# lane that finishes its second run first takes rl-hack.
POLICIES=(rl)
for lam in $LAMBDAS; do POLICIES+=("gapt-$lam"); done
[ "$MODE" = small ] && POLICIES+=(rl-hack)
train_policy() {
    case "$1" in
        rl) stage rl "$OUT" $JAM train rl --profile "$MODE" "${CK[@]}" ;;
        rl-hack) stage rl-hack "$OUT" $JAM train rl --profile hack "${CK[@]}" ;;
        gapt-*) stage "$1" "$OUT" $JAM train gapt --adv-weight "${1#gapt-}" --profile "$MODE" "${CK[@]}" ;;
    esac
}
policy_queue() { drain train_policy "${POLICIES[@]}"; }
queue policies
lanes policy_queue policy_queue
names="mle,mle-dagger$(printf ',%s' "${POLICIES[@]}")"
SONGS=50; EMBED="$OUT/rewards/contrastive-s0"; WORKERS="$LANES"
# The smoke reward models read short windows only: no learned-embedding Vendi score there; and its
# four songs a system cost less than starting a worker process, so it scores in one.
[ "$MODE" = smoke ] && SONGS=4 && EMBED=none && WORKERS=1
# The report is current when no checkpoint (policy or judge) is newer than it.
if report_current "$STATE/eval/metrics.json" "$OUT" "$OUT/rewards"; then
    echo "[eval] done already"
else
    t0=$SECONDS
    guarded $JAM eval --checkpoints "$names" --checkpoint-dir "$OUT" --songs "$SONGS" --embed "$EMBED" --out "$STATE/eval" \
        --workers "$WORKERS"
    printf 'eval\t%s\tfresh\n' "$((SECONDS - t0))" >> "$STATE/times.tsv"
fi
[ "$MODE" = smoke ] || guarded .venv/bin/python training/make_docs.py --write-cards --judges --eval "$STATE/eval/metrics.json" --logs "$STATE" \
    --checkpoints "$OUT"
echo "pipeline: done in $((SECONDS - T_START)) s; checkpoints in $OUT, report in $STATE/eval/report.md"

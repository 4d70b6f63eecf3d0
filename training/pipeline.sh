#!/usr/bin/env bash
# The whole pipeline, data to every shipped checkpoint and the evaluation report:
#   data -> (mle, melody agent) | (anchor, reward models: 2 seeds x 2 kinds, harmony and rhythm-only;
#           the rhythm-only ones of seed 1 (in smoke mode all four) run in the first lane, after the
#           melody agent)
#        -> rl, the gapt sweep, [rl-hack,] two lanes
#        -> eval
#
#   training/pipeline.sh smoke [OUT]   seconds per stage, for CI (default OUT: a temp dir)
#   training/pipeline.sh small [OUT]   the shipped run (default OUT: jamcore/checkpoints)
#
# Stages that do not need each other run in two lanes side by side (`|` above; each small stage trains
# on one thread, so the two lanes fill a 2-core machine); LANES=1 runs them one after another. Every
# stage's wall time goes to OUT/state/times.tsv (the model cards keep each run's own wall_seconds) and
# the whole run's is printed at the end.
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
shift $(( $# >= 2 ? 2 : $# ))
EXTRA=("$@")
JAM="${JAMCORE:-.venv/bin/jamcore}"
LANES="${LANES:-2}"
STATE="${OUT}/state"   # training states, logs and curves (not shipped)
mkdir -p "$OUT/rewards" "$STATE"
echo "pipeline: $MODE -> $OUT"

source training/stages.sh  # stage (skip / resume / time one training command) and lanes

T_START=$SECONDS
$JAM data build "${EXTRA[@]}"
CK=(--checkpoint-dir "$OUT")  # RL finds mle/anchor in OUT and the reward models in OUT/rewards

rhythm_judges() {  # rhythm_judges SEED...
    for kind in contrastive discriminative; do
        for seed in "$@"; do
            stage "$kind-rhythm-s$seed" "$OUT/rewards" $JAM train reward --kind "$kind" --rhythm --seed "$seed" \
                --profile "$MODE"
        done
    done
}
policy_lane() {
    stage mle "$OUT" $JAM train mle --profile "$MODE"
    stage melody "$OUT" $JAM train melody --profile "$MODE"   # the simulated partner for model-vs-model eval
    # In smoke mode every stage takes about as long (7-12 s): the rhythm-only judges even the lanes. In
    # small mode the rhythm judges cost more than mle and melody together: each lane trains one seed.
    if [ "$MODE" = smoke ]; then rhythm_judges 0 1; else rhythm_judges 1; fi
}
judges_lane() {
    stage anchor "$OUT" $JAM train anchor --profile "$MODE"
    for kind in contrastive discriminative; do
        for seed in 0 1; do
            stage "$kind-s$seed" "$OUT/rewards" $JAM train reward --kind "$kind" --seed "$seed" --profile "$MODE"
        done
    done
    if [ "$MODE" != smoke ]; then rhythm_judges 0; fi
    if [ "$MODE" = small ]; then  # the judge the reward-hacking baseline exploits (docs/reward-hacking.md)
        stage discriminative-wrong-s0 "$OUT/rewards" $JAM train reward --kind discriminative --profile hack
    fi
}
lanes policy_lane judges_lane

# RL and every GAPT run start from mle and read the same judges: they only need phase one. Dealt to the
# two lanes in turn, in this order: rl, the GAPT runs (each about as long as rl), then rl-hack (a
# fraction of one), so in small mode one lane gets rl, gapt-1.0 and rl-hack and the other gapt-0.25
# and gapt-4.0: about the same work in each.
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
even_lane() { for i in "${!POLICIES[@]}"; do [ $((i % 2)) -eq 0 ] && train_policy "${POLICIES[$i]}"; done; return 0; }
odd_lane() { for i in "${!POLICIES[@]}"; do [ $((i % 2)) -eq 1 ] && train_policy "${POLICIES[$i]}"; done; return 0; }
lanes even_lane odd_lane
names="mle$(printf ',%s' "${POLICIES[@]}")"
SONGS=50; EMBED="$OUT/rewards/contrastive-s0"
# The smoke reward models read short windows only: no learned-embedding Vendi score there.
[ "$MODE" = smoke ] && SONGS=4 && EMBED=none
# The report is current when no checkpoint is newer than it.
if [ -f "$STATE/eval/metrics.json" ] && [ -z "$(find "$OUT" -name '*.safetensors' -newer "$STATE/eval/metrics.json")" ]; then
    echo "[eval] done already"
else
    t0=$SECONDS
    $JAM eval --checkpoints "$names" --checkpoint-dir "$OUT" --songs "$SONGS" --embed "$EMBED" --out "$STATE/eval"
    printf 'eval\t%s\tfresh\n' "$((SECONDS - t0))" >> "$STATE/times.tsv"
fi
[ "$MODE" = smoke ] || .venv/bin/python training/make_docs.py --write-cards --judges --eval "$STATE/eval/metrics.json" --logs "$STATE" \
    --checkpoints "$OUT"
echo "pipeline: done in $((SECONDS - T_START)) s; checkpoints in $OUT, report in $STATE/eval/report.md"

# Shared by training/pipeline.sh and training/disc_sweep.sh (sourced): one training stage, and two lanes.
# The caller sets OUT, STATE (training states, logs, times.tsv), EXTRA (arguments for every command) and
# LANES (1: one stage after another; 2: two lanes side by side).

done_or_resume() {  # $1 = checkpoint stem, $2 = state dir, $3 = name: prints "skip", "--resume" or ""
    if [ -f "$1.safetensors" ] && [ -f "$1.json" ]; then echo skip
    elif [ -f "$2/$3-state.json" ]; then echo --resume
    fi
}

stage() {  # stage NAME DEST_DIR COMMAND...
    local name="$1" dest="$2"; shift 2
    local how; how="$(done_or_resume "$dest/$name" "$STATE" "$name")"
    if [ "$how" = skip ]; then echo "[$name] done already"; return; fi
    echo "[$name] $*"
    local t0=$SECONDS
    "$@" --name "$name" --out "$STATE" --no-progress ${how:+$how} "${EXTRA[@]}"
    # Ship only the weights and the model card; curves and logs stay with the state.
    mv "$STATE/$name.safetensors" "$STATE/$name.json" "$dest/"
    printf '%s\t%s\t%s\n' "$name" "$((SECONDS - t0))" "${how:-fresh}" >> "$STATE/times.tsv"
    echo "[$name] $((SECONDS - t0)) s"
}

lanes() {  # lanes "FUNCTION_A" "FUNCTION_B": run both, side by side when LANES > 1; fail if either fails
    if [ "$LANES" -gt 1 ]; then
        "$1" & local a=$!
        "$2" & local b=$!
        # Killed (Ctrl-C, kill): stop both lanes and their training commands too. A lane left running
        # would keep training while a rerun clears the queue's claims, and two processes would then
        # train the same stage into the same state.
        trap "stop_lanes $a $b; exit 143" INT TERM HUP
        local rc=0
        wait "$a" || rc=$?
        wait "$b" || rc=$?
        trap - INT TERM HUP
        [ "$rc" -eq 0 ] || { echo "pipeline: a stage failed (exit $rc)" >&2; exit "$rc"; }
    else
        "$1"; "$2"
    fi
}

stop_lanes() {  # stop_lanes PID...: each lane, then the command it was running (the lane first, or it
    # would go on to its next stage when its command ends)
    local p kids
    for p in "$@"; do
        kids="$(pgrep -P "$p" || true)"
        kill -TERM "$p" $kids 2>/dev/null || true
    done
}

report_current() {  # report_current METRICS DIR...: METRICS exists and no checkpoint in any DIR is newer
    local metrics="$1"; shift
    [ -f "$metrics" ] && [ -z "$(find "$@" -maxdepth 1 -name '*.safetensors' -newer "$metrics")" ]
}

# A queue that both lanes drain: each lane, once free, takes the next stage no lane has taken yet, so the
# lanes end together whatever each stage costs on the day (a fixed deal leaves one lane idle while the
# other still has stages of unequal length to run). `mkdir` either creates the claim or fails: atomic.
queue() {  # queue NAME: start an empty queue (a rerun starts afresh: finished stages skip themselves)
    QUEUE="$STATE/queue-$1"
    rm -rf "$QUEUE"
    mkdir -p "$QUEUE"
}

drain() {  # drain FUNCTION ITEM...: FUNCTION ITEM for each item, in order, that no other lane claimed first
    local fn="$1" item
    shift
    for item in "$@"; do
        if mkdir "$QUEUE/$item" 2>/dev/null; then "$fn" "$item"; fi
    done
}

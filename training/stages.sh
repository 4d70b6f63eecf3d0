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

lanes() {  # lanes "FUNCTION_A" "FUNCTION_B": run both, side by side when LANES > 1 (else one after the
    # other); fail if either fails. Each runs in a background subshell, also with one lane, so that a kill
    # (Ctrl-C, kill) can stop it and the training command it runs: a lane left running would keep
    # training while a rerun clears the queue's claims, and two processes would train the same stage.
    local rc=0 a b
    if [ "$LANES" -gt 1 ]; then
        "$1" & a=$!
        "$2" & b=$!
        guard_lanes "$a" "$b"
        wait "$a" || rc=$?
        wait "$b" || rc=$?
    else
        "$1" & a=$!
        guard_lanes "$a"
        wait "$a" || rc=$?
        if [ "$rc" -eq 0 ]; then
            "$2" & b=$!
            guard_lanes "$b"
            wait "$b" || rc=$?
        fi
    fi
    trap - INT TERM HUP
    [ "$rc" -eq 0 ] || { echo "pipeline: a stage failed (exit $rc)" >&2; exit "$rc"; }
}

guarded() {  # guarded COMMAND...: run it as lanes run theirs, so that a kill of this script stops it too
    local p rc=0
    "$@" & p=$!
    guard_lanes "$p"
    wait "$p" || rc=$?
    trap - INT TERM HUP
    return "$rc"
}

guard_lanes() {  # guard_lanes PID...: until reset, a signal to this shell stops these lanes, then exits
    trap "stop_lanes $*; exit 130" INT
    trap "stop_lanes $*; exit 143" TERM
    trap "stop_lanes $*; exit 129" HUP
}

stop_lanes() {  # stop_lanes PID...: each lane and the command it is running (with that command's own
    # children: a JAMCORE wrapper script). The lane is paused while they are listed, so it cannot start
    # its next stage between the listing and the kill.
    local p kids
    for p in "$@"; do
        kill -STOP "$p" 2>/dev/null || continue
        kids="$(descendants "$p")"
        kill -TERM "$p" $kids 2>/dev/null || true
        kill -CONT "$p" 2>/dev/null || true
    done
}

descendants() {  # descendants PID: its children, theirs, and so on (one per line)
    local c
    for c in $(pgrep -P "$1" || true); do
        echo "$c"
        descendants "$c"
    done
}

report_current() {  # report_current METRICS DIR...: METRICS exists and no checkpoint in any DIR is newer
    # (a DIR that does not exist holds none; a find that fails counts as stale)
    local metrics="$1" d dirs=() newer
    shift
    [ -f "$metrics" ] || return 1
    for d in "$@"; do [ -d "$d" ] && dirs+=("$d"); done
    [ "${#dirs[@]}" -gt 0 ] || return 0
    newer="$(find "${dirs[@]}" -maxdepth 1 -name '*.safetensors' -newer "$metrics")" || return 1
    [ -z "$newer" ]
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

#!/usr/bin/env bash
# Resident memory of a training run, sampled every 5 s (VmRSS) with its peak (VmHWM), for issue 26 §6.
# Usage: bench/train-memory.sh OUT_DIR -- TRAIN_ARGS...   e.g.
#   bench/train-memory.sh runs/mem-nl -- --train $D/ned.train --validation $D/ned.testa --encoding latin-1 --epochs 1
# Writes OUT_DIR/rss.tsv (seconds, step, VmRSS MB, VmHWM MB) and OUT_DIR/train.out; prints the peak and the growth
# after the first long batch. Environment variables (XNER_JAVA_OPTS, MALLOC_*) pass through to the JVM.
set -u
out=$1; shift; [ "$1" = "--" ] && shift
mkdir -p "$out"
lscpu | grep -E "Model name|CPU family|^Model:" > "$out/lscpu.txt"
bin/xner train --output "$out/model" --overwrite "$@" > "$out/train.out" 2>&1 &
pid=$!   # bin/xner execs java: the same process
echo -e "seconds\tstep\trss_mb\thwm_mb" > "$out/rss.tsv"
t0=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status 2>/dev/null)
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status 2>/dev/null)
  step=$(tail -c 400 "$out/train.out" | tr '\r' '\n' | grep -o "\] [0-9]*/" | tail -1 | tr -d '] /')
  [ -n "$rss" ] && echo -e "$(( $(date +%s) - t0 ))\t${step:-0}\t$rss\t$hwm" >> "$out/rss.tsv"
  sleep 5
done
wait $pid; echo "exit $?" >> "$out/train.out"
awk -F'\t' 'NR > 1 { if ($4 > peak) peak = $4 } END { print "peak resident (VmHWM): " peak " MB" }' "$out/rss.tsv"
grep -E "memory:|peak_resident" "$out/train.out" "$out/model/xner-run.json" 2>/dev/null

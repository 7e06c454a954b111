#!/usr/bin/env bash
# Issue 26 §1: the service under short requests alone, and beside a client that sends large requests back to back.
# Usage: docs/results/serve-fair/run.sh MODEL_DIR OUT_DIR [RUNTIMES]   (run from the repository root, nothing else running;
#        RUNTIMES default "onnx-int8 libtorch")
set -u
M=$1; OUT=$2; RUNTIMES=${3:-onnx-int8 libtorch}; mkdir -p "$OUT"
git rev-parse --short HEAD > "$OUT/commit"
lscpu | grep -E "Model name|CPU family|^Model:" > "$OUT/lscpu.txt"; grep -o -w -E "avx512f|avx512_bf16|amx_bf16|avx2" /proc/cpuinfo | sort -u | tr '\n' ' ' >> "$OUT/lscpu.txt"
# 1,000 short texts: CoNLL-2002 Dutch test sentences, words joined by spaces
awk 'NF==0 { if (s != "") print s; s = ""; next } { s = (s == "" ? $1 : s " " $1) }' "${XNER_DATA:-../shared/data}/conll2002-nl/ned.testb" \
    | iconv -f latin1 -t utf-8 | awk 'length($0) > 20' | head -1000 > "$OUT/texts.txt"
[ -f "$M/model_quantized.onnx" ] || bin/xner export --model "$M" --output "$M" --quantize int8 > "$OUT/export.log" 2>&1
for runtime in $RUNTIMES; do
  port=8097
  bin/xner serve --model "$M" --runtime $runtime --port $port > "$OUT/serve-$runtime.log" 2>&1 &
  pid=$!
  for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:$port/health && break; sleep 1; done
  pid=$(pgrep -P $pid java || echo $pid)
  B="bin/xner bench serve --url http://127.0.0.1:$port/ --texts $OUT/texts.txt --bad-every 0 --pid $pid"
  n=1000; [ $runtime = libtorch ] && n=400
  echo "== $runtime: short requests alone" | tee -a "$OUT/bench-$runtime.txt"
  $B --requests $n --concurrency 1,8,64 >> "$OUT/bench-$runtime.txt" 2>&1
  echo "== $runtime: concurrency 8 beside one client sending 52 × 20,000 characters back to back (refused: 413)" | tee -a "$OUT/bench-$runtime.txt"
  $B --requests $n --concurrency 8 --big-clients 1 >> "$OUT/bench-$runtime.txt" 2>&1
  echo "== $runtime: concurrency 8 beside one client sending 1 × 20,000 characters back to back (within the budget)" | tee -a "$OUT/bench-$runtime.txt"
  $B --requests $n --concurrency 8 --big-clients 1 --big-texts 1 >> "$OUT/bench-$runtime.txt" 2>&1
  curl -s http://127.0.0.1:$port/health > "$OUT/health-$runtime.json"
  kill -TERM $pid; wait; echo "serve exit: $(tail -1 "$OUT/serve-$runtime.log")" >> "$OUT/bench-$runtime.txt"
  ls hs_err_pid*.log 2>/dev/null >> "$OUT/bench-$runtime.txt"
  cat "$OUT/bench-$runtime.txt"
done

#!/usr/bin/env bash
# Issue 26 §5: `bench serve --soak 10` on the ONNX int8 service (mixed clients: short, 20,000-character, bad, hanging
# up, one slow-header client), then SIGTERM from the bench; the service's exit status and any hs_err file.
# Usage: docs/results/serve-soak/run.sh MODEL_DIR OUT_DIR [MINUTES]   (run from the repository root, nothing else running)
set -u
M=$1; OUT=$2; MINUTES=${3:-10}; mkdir -p "$OUT"
lscpu | grep -E "Model name|CPU family|^Model:" > "$OUT/lscpu.txt"; grep -o -w -E "avx512f|avx512_bf16|amx_bf16|avx2" /proc/cpuinfo | sort -u | tr '\n' ' ' >> "$OUT/lscpu.txt"
git rev-parse --short HEAD > "$OUT/commit"
awk 'NF==0 { if (s != "") print s; s = ""; next } { s = (s == "" ? $1 : s " " $1) }' "${XNER_DATA:-../shared/data}/conll2002-nl/ned.testb" \
    | iconv -f latin1 -t utf-8 | awk 'length($0) > 20' | head -1000 > "$OUT/texts.txt"
[ -f "$M/model_quantized.onnx" ] || bin/xner export --model "$M" --output "$M" --quantize int8 > "$OUT/export.log" 2>&1
port=8098
rm -f hs_err_pid*.log
bin/xner serve --model "$M" --runtime onnx-int8 --port $port > "$OUT/serve.log" 2>&1 &
launcher=$!
for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:$port/health && break; sleep 1; done
pid=$(pgrep -P $launcher java || echo $launcher)
bin/xner bench serve --url http://127.0.0.1:$port/ --texts "$OUT/texts.txt" --soak "$MINUTES" --pid "$pid" --json \
    > "$OUT/soak.json" 2> "$OUT/soak.log"
echo "bench exit: $?" >> "$OUT/soak.log"
wait $launcher; echo "serve exit: $?" >> "$OUT/soak.log"
ls hs_err_pid*.log >> "$OUT/soak.log" 2>/dev/null || echo "no hs_err_pid*.log" >> "$OUT/soak.log"
tail -3 "$OUT/serve.log" >> "$OUT/soak.log"
cat "$OUT/soak.log"

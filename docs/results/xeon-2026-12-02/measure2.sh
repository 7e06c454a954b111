#!/usr/bin/env bash
# After measure.sh: the service's throughput with each runtime, one at a time, on the fine-tuned de-fr model.
set -u
R=/work/run-main; O=/work/runs/xeon; M=/work/runs/chapter/runs/de-fr/model
while pgrep -f "measure.sh" >/dev/null; do sleep 15; done
cd $R
out=$O/serve-bench.txt; : > $out
port=18090
for rt in libtorch onnx onnx-int8; do
  port=$((port+1))
  bin/xner serve --model $M --runtime $rt --port $port > $O/serve-$rt.log 2>&1 &
  for i in $(seq 120); do curl -sf http://127.0.0.1:$port/health >/dev/null && break; sleep 1; done
  pid=$(pgrep -f "serve --model $M --runtime $rt --port $port" | tail -1)
  echo "== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): runtime $rt pid $pid" >> $out
  bin/xner bench serve --url http://127.0.0.1:$port/ --texts $O/de-test-200.txt --requests 400 --duration 90 \
    --concurrency 1,8 --bad-every 0 --pid $pid >> $out 2>&1
  kill $pid; sleep 3
done
echo "== $(date -u +%H:%M:%S) done" >> $out

#!/usr/bin/env bash
# A/B: short requests alone, ONNX int8, old (db6e869) and new (9d209e6) jars alternately, one sitting
M=/work/run-main/runs/conll2002-nl-bf16
T=/work/run-head/runs/serve-fair-after/texts.txt
OUT=/work/ab; mkdir -p $OUT
for round in 1 2; do
for dir in /work/run-old /work/run-head; do
  name=$(basename $dir)
  cd $dir
  bin/xner serve --model $M --runtime onnx-int8 --port 8099 > $OUT/serve-$name-$round.log 2>&1 &
  launcher=$!
  for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:8099/health && break; sleep 1; done
  pid=$(pgrep -P $launcher java || echo $launcher)
  echo "== $name round $round ($(git rev-parse --short HEAD))" >> $OUT/ab.txt
  bin/xner bench serve --url http://127.0.0.1:8099/ --texts $T --bad-every 0 --pid $pid --requests 1000 --concurrency 1,8,64 >> $OUT/ab.txt 2>&1
  kill -TERM $pid; wait
done
done

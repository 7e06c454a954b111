#!/usr/bin/env bash
# A/B, libtorch: short requests alone at concurrency 8, then beside one client of 52 x 20,000 characters (413), old (db6e869) and new (9d209e6+) builds in turn
M=/work/run-main/runs/conll2002-nl-bf16
T=/work/run-head/runs/serve-fair-after/texts.txt
OUT=/work/ab; mkdir -p $OUT
for dir in /work/run-old /work/run-head; do
  name=$(basename $dir)
  cd $dir
  bin/xner serve --model $M --runtime libtorch --port 8099 > $OUT/serve-lt-$name.log 2>&1 &
  launcher=$!
  for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:8099/health && break; sleep 1; done
  pid=$(pgrep -P $launcher java || echo $launcher)
  echo "== $name libtorch ($(git rev-parse --short HEAD))" >> $OUT/ab3.txt
  bin/xner bench serve --url http://127.0.0.1:8099/ --texts $T --bad-every 0 --pid $pid --requests 400 --concurrency 8 >> $OUT/ab3.txt 2>&1
  bin/xner bench serve --url http://127.0.0.1:8099/ --texts $T --bad-every 0 --pid $pid --requests 400 --concurrency 8 --big-clients 1 >> $OUT/ab3.txt 2>&1
  kill -TERM $pid; wait
done

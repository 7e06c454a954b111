#!/usr/bin/env bash
# issue 11: 20,000 PAN-X test sentences (de and fr, 10,000 each, one a line) through tag --input (one process,
# 2 intra-op threads) and spark-tag --master local[2], one after the other, same model, same machine
set -u
X=/work/main/bin/xner
M=${M:-/work/runs/de-4k}
IN=${IN:-/tmp/bench/s20k.txt}
OUT=${OUT:-/tmp/bench20k}
rm -rf $OUT && mkdir -p $OUT
echo "lscpu: $(lscpu | grep 'Model name' | sed 's/  */ /g'); input $(wc -l < $IN) lines"
echo "start $(date -u +%T) uptime: $(uptime)"
s=$(date +%s.%N); $X tag --model $M --input $IN --output $OUT/tag.jsonl > $OUT/tag.log 2>&1; rc=$?; e=$(date +%s.%N)
echo "tag --input: $(echo "$e - $s" | bc) s wall, rc $rc; $(tail -1 $OUT/tag.log)"
echo "mid $(date -u +%T) uptime: $(uptime)"
s=$(date +%s.%N); $X spark-tag --model $M --input $IN --output $OUT/spark.jsonl --master 'local[2]' > $OUT/spark.log 2>&1; rc=$?; e=$(date +%s.%N)
echo "spark-tag local[2]: $(echo "$e - $s" | bc) s wall, rc $rc; $(tail -1 $OUT/spark.log)"
echo "end $(date -u +%T) uptime: $(uptime)"

#!/usr/bin/env bash
# the quiet benchmarks of issue 22, run after the main job was stopped (nothing else running)
set -u
cd /work/main
out=docs/results/bf16-xeon
M=/work/run-main/runs/swiss-panx/runs/de/model
{ date -u +%FT%TZ; uptime; git rev-parse --short HEAD; } > $out/quiet-bench-start.txt
bash bench/train-vs-pytorch.sh ../shared/data ../shared/bench/pytorch_bert_bench.py > $out/train-vs-pytorch.txt 2>&1
bash bench/infer-vs-pytorch.sh ../shared/data ../shared/bench/pytorch_bert_bench.py $M > $out/infer-vs-pytorch.txt 2>&1
bin/xner bench train --data-dir ../shared/data --precision bf16 --steps 10 --warmup 3 --profile 2>/dev/null | grep -v '^\[' > $out/profile-bf16.txt
bin/xner bench train --data-dir ../shared/data --precision fp32 --steps 10 --warmup 3 --profile 2>/dev/null | grep -v '^\[' > $out/profile-fp32.txt
date -u +%FT%TZ >> $out/quiet-bench-start.txt

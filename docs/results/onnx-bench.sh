#!/usr/bin/env bash
# One run, one machine: libtorch, ONNX fp32 and ONNX int8 beside plain PyTorch; uptime before and after each step.
set -u
cd /work/wt-onnx
M=/work/onnx-runs/mbert-fresh
D=/work/shared/data
lscpu | grep "Model name"
uptime
bin/xner bench infer --model $M --runtime libtorch,onnx,onnx-int8 --length 16 --batch 1 --steps 20 --warmup 3
uptime
/usr/bin/python3 /work/shared/bench/pytorch_bert_bench.py infer 1 16 20 2
uptime
bin/xner bench infer --model $M --runtime libtorch,onnx,onnx-int8 --length 48 --batch 32 --steps 5 --warmup 1
uptime
/usr/bin/python3 /work/shared/bench/pytorch_bert_bench.py infer 32 48 5 2
uptime
bin/xner bench infer --model $M --data-dir $D --runtime libtorch,onnx,onnx-int8 --batch 1 --max-sentences 640 --warmup 2
uptime
bin/xner bench infer --model $M --data-dir $D --runtime libtorch,onnx,onnx-int8 --batch 32 --chunk 512 --max-sentences 640 --warmup 1
uptime

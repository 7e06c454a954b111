#!/usr/bin/env bash
# One run, one machine: libtorch, ONNX fp32 and int8 as xner runs them (fused at load) and as stored
# (-Dxner.onnx.fuse=false), beside plain PyTorch at the same shapes; uptime before and after each step.
set -u
cd "$(dirname "$0")/../.."
M=${M:-/work/onnx-runs/mbert-fresh}
D=${D:-../shared/data}
P=${P:-../shared/bench/pytorch_bert_bench.py}
lscpu | grep "Model name"
uptime
bin/xner bench infer --model $M --runtime libtorch,onnx,onnx-int8 --length 16 --batch 1 --steps 20 --warmup 3
XNER_JAVA_OPTS="-Xmx8g -Dxner.onnx.fuse=false" bin/xner bench infer --model $M --runtime onnx,onnx-int8 --length 16 --batch 1 --steps 20 --warmup 3
uptime
/usr/bin/python3 $P infer 1 16 20 2
uptime
bin/xner bench infer --model $M --runtime libtorch,onnx,onnx-int8 --length 48 --batch 32 --steps 5 --warmup 1
XNER_JAVA_OPTS="-Xmx8g -Dxner.onnx.fuse=false" bin/xner bench infer --model $M --runtime onnx,onnx-int8 --length 48 --batch 32 --steps 5 --warmup 1
uptime
/usr/bin/python3 $P infer 32 48 5 2
uptime
bin/xner bench infer --model $M --data-dir $D --runtime libtorch,onnx,onnx-int8 --batch 1 --max-sentences 640 --warmup 2
uptime
bin/xner bench infer --model $M --data-dir $D --runtime libtorch,onnx,onnx-int8 --batch 32 --chunk 512 --max-sentences 640 --warmup 1
uptime

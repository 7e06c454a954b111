#!/usr/bin/env bash
# Times xner's training step beside the plain-PyTorch reference, back to back on this machine, at the same
# shapes (batch 24, length 32 by default; LENGTHS="32 17" adds the mean length of length-grouped PAN-X
# batches), then xner on real length-grouped batches. Each in fp32 and, where the CPU has bf16 units (amx_bf16,
# avx512_bf16), in bf16: xner's --precision bf16 beside PyTorch's CPU autocast. Prints RESULT lines. Run it on a
# quiet machine.
# Needs Debian's python3-torch (apt-get install -y python3-torch libopenblas0-openmp) and PAN-X:
#   bench/train-vs-pytorch.sh ../shared/data ../shared/bench/pytorch_bert_bench.py
set -euo pipefail
data="${1:?usage: $0 DATA_DIR PYTORCH_BENCH_PY}"
reference="${2:?usage: $0 DATA_DIR PYTORCH_BENCH_PY}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${STEPS:-5}"
precisions="fp32"
if grep -qwE 'amx_bf16|avx512_bf16' /proc/cpuinfo; then precisions="fp32 bf16"; fi
lscpu | grep -E '^(Model name|CPU family|Model):' | tr -s ' '
# OpenBLAS as fast as it goes on this CPU (some machines set an older core type: README of the reference)
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$reference" "$@" | grep RESULT; }
for length in ${LENGTHS:-32}; do
  for p in $precisions; do
    "$root/bin/xner" bench train --data-dir "$data" --length "$length" --steps "$steps" --precision "$p" 2>/dev/null | grep RESULT
    py train 24 "$length" full "$steps" 2 "$p"
    "$root/bin/xner" bench train --data-dir "$data" --length "$length" --steps "$steps" --dense-embeddings --precision "$p" \
        2>/dev/null | grep RESULT
    py train 24 "$length" freeze "$steps" 2 "$p"
  done
done
for p in $precisions; do
  "$root/bin/xner" bench train --data-dir "$data" --steps "$steps" --precision "$p" 2>/dev/null | grep RESULT
done

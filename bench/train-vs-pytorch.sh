#!/usr/bin/env bash
# Times xner's training step beside the plain-PyTorch reference, back to back on this machine, at the same
# shapes (batch 24, length 32 by default; LENGTHS="32 17" adds the mean length of length-grouped PAN-X
# batches), then xner on real length-grouped batches. Prints RESULT lines. Run it on a quiet machine.
# Needs Debian's python3-torch (apt-get install -y python3-torch libopenblas0-openmp) and PAN-X:
#   bench/train-vs-pytorch.sh ../shared/data ../shared/bench/pytorch_bert_bench.py
set -euo pipefail
data="${1:?usage: $0 DATA_DIR PYTORCH_BENCH_PY}"
reference="${2:?usage: $0 DATA_DIR PYTORCH_BENCH_PY}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${STEPS:-5}"
for length in ${LENGTHS:-32}; do
  "$root/bin/xner" bench train --data-dir "$data" --length "$length" --steps "$steps" 2>/dev/null | grep RESULT
  /usr/bin/python3 "$reference" train 24 "$length" full "$steps" 2 | grep RESULT
  "$root/bin/xner" bench train --data-dir "$data" --length "$length" --steps "$steps" --dense-embeddings 2>/dev/null | grep RESULT
  /usr/bin/python3 "$reference" train 24 "$length" freeze "$steps" 2 | grep RESULT
done
"$root/bin/xner" bench train --data-dir "$data" --steps "$steps" 2>/dev/null | grep RESULT

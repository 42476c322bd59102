#!/usr/bin/env bash
# Trains the shipped models (models/*.safetensors) exactly as their model cards say, on every
# recording day in DAYS (each day is one wearing, normalised by its own statistics).
# usage: scripts/train-shipped.sh OUT_DIR [ARCH …]   (default: every architecture and ExtraTrees)
set -euo pipefail
shared=${SIGNGLOVE_SHARED:-../shared}
# Adding a recording day to the shipped models is one line here:
DAYS=(
  "$shared/datasets/signglove-2025-10-01"
  "$shared/datasets/signglove-2025-08-19"
)
out=$1; shift
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(ExtraTrees GRU StackedGRU LSTM CNNGRU CNNStackedGRU MSGRU MSStackedGRU)
for arch in "${archs[@]}"; do
  npx signglove train --model "$arch" --data "${DAYS[@]}" --split random --seed 42 --split-seed 1337 --out "$out"
done

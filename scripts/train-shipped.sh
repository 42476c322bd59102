#!/usr/bin/env bash
# Trains the shipped models (models/*.safetensors) exactly as their model cards say.
# usage: scripts/train-shipped.sh DATASET OUT_DIR ARCH [ARCH …]
set -euo pipefail
data=$1; out=$2; shift 2
for arch in "$@"; do
  npx signglove train --model "$arch" --data "$data" --split random --seed 42 --split-seed 1337 --out "$out"
done

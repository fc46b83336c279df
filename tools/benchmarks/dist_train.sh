#!/usr/bin/env bash
# Train then test a benchmark from a converted checkpoint on one node:
#   tools/benchmarks/{mmdetection,mmsegmentation}/dist_train.sh CONFIG PRETRAIN GPUS [train_and_test.py args]
# Results: work_dirs/benchmarks/<config>/<checkpoint>/results.json
CONFIG=$1
PRETRAIN=$2
GPUS=$3
PORT=${PORT:-29500}
PYTHON=${PYTHON:-python}
TOOLS="$(cd "$(dirname "$0")" && pwd)"

PYTHONPATH="$TOOLS/../..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run --nproc_per_node="$GPUS" --master_port="$PORT" \
    "$TOOLS/train_and_test.py" "$CONFIG" "$PRETRAIN" --launcher pytorch "${@:4}"

#!/usr/bin/env bash
# Distributed training on one node: tools/dist_train.sh CONFIG NUM_PROCS [train.py args]
# Works without a GPU: tools/train.py then uses gloo and plain BN.
# MAX_RESTARTS=N: torchrun restarts the worker group up to N times after a
# worker fails; a restarted group resumes from the newest complete checkpoint
# of the work dir by itself (docs/reliability.md).
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
MAX_RESTARTS=${MAX_RESTARTS:-0}
PYTHON=${PYTHON:-python}

PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    --max-restarts="$MAX_RESTARTS" \
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"

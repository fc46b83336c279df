#!/usr/bin/env bash
# Train then test a benchmark under slurm:
#   GPUS=8 tools/benchmarks/{mmdetection,mmsegmentation}/slurm_train.sh PARTITION CONFIG PRETRAIN [train_and_test.py args]
set -x
PARTITION=$1
CONFIG=$2
PRETRAIN=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
TOOLS="$(cd "$(dirname "$0")" && pwd)"
JOB_NAME="bench-$(basename "$CONFIG" .py)"

PYTHONPATH="$TOOLS/../..":$PYTHONPATH \
srun -p "$PARTITION" --job-name="$JOB_NAME" --gres=gpu:"$GPUS_PER_NODE" --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" --cpus-per-task="$CPUS_PER_TASK" --kill-on-bad-exit=1 \
    $SRUN_ARGS python -u "$TOOLS/train_and_test.py" "$CONFIG" "$PRETRAIN" --launcher=slurm "${@:4}"

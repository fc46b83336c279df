#!/usr/bin/env bash
# Training under slurm: tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args]
# MAX_RESTARTS=N: after a failed srun step, start it again up to N times with
# MMLC_RESTART_COUNT set; the restarted run resumes from the newest complete
# checkpoint of WORK_DIR by itself (docs/reliability.md).
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
GPUS=${GPUS:-16}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
MAX_RESTARTS=${MAX_RESTARTS:-0}
PY_ARGS=${@:5}

for ((attempt = 0; attempt <= MAX_RESTARTS; attempt++)); do
    MMLC_RESTART_COUNT=$attempt \
    PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
    srun -p "${PARTITION}" \
        --job-name="${JOB_NAME}" \
        --gres=gpu:"${GPUS_PER_NODE}" \
        --ntasks="${GPUS}" \
        --ntasks-per-node="${GPUS_PER_NODE}" \
        --cpus-per-task="${CPUS_PER_TASK}" \
        --kill-on-bad-exit=1 \
        ${SRUN_ARGS} \
        python -u "$(dirname "$0")/train.py" "${CONFIG}" --work-dir="${WORK_DIR}" --launcher="slurm" ${PY_ARGS}
    status=$?
    if [ "$status" -eq 0 ]; then
        exit 0
    fi
    echo "slurm_train.sh: attempt $attempt failed with exit status $status" >&2
done
exit "$status"

#!/usr/bin/env bash
# Same as tools/benchmarks/slurm_train.sh (train, then test, results.json), for mmpose configs.
exec "$(dirname "$0")/../slurm_train.sh" "$@"

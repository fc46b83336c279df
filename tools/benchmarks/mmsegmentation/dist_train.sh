#!/usr/bin/env bash
# Same as tools/benchmarks/dist_train.sh (train, then test, results.json), for mmsegmentation configs.
exec "$(dirname "$0")/../dist_train.sh" "$@"

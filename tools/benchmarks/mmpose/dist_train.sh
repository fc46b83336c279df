#!/usr/bin/env bash
# Same as tools/benchmarks/dist_train.sh (train, then test, results.json), for mmpose configs.
exec "$(dirname "$0")/../dist_train.sh" "$@"

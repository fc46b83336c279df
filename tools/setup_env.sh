#!/usr/bin/env bash
# Set up (or check) the Python environment mmlc runs in. Idempotent: on a ready
# environment it returns in seconds.
#
#   tools/setup_env.sh            # create/refresh ./.venv
#   MMLC_PYTHON=/path/to/python tools/setup_env.sh
#                                 # use an existing interpreter (your own torch/CUDA)
#
# Environment variables:
#   MMLC_VENV        where to create the virtual environment (default: <repo>/.venv)
#   MMLC_PYTHON      use this interpreter instead of creating a venv; its torch is kept
#   MMLC_BASE_PYTHON interpreter used to create the venv (default: python3)
#   MMLC_CACHE_DIR   where built mmcv wheels are cached (default: ~/.cache/mmlc)
#
# Prints the path of the interpreter to use on its last line of stdout.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORCH_PINS="torch==2.14.1 torchvision==0.29.1"
MMCV_VERSION="2.1.0"
CACHE_DIR="${MMLC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mmlc}"

log() { echo "[setup_env] $*" >&2; }
# stdout carries only the interpreter path (last line); everything else goes to stderr
exec 3>&1 1>&2

if [[ -n "${MMLC_PYTHON:-}" ]]; then
    PY="$MMLC_PYTHON"
    [[ -x "$PY" ]] || { log "MMLC_PYTHON=$PY is not an executable interpreter"; exit 2; }
else
    VENV="${MMLC_VENV:-$REPO_ROOT/.venv}"
    if [[ ! -x "$VENV/bin/python" ]]; then
        log "creating virtual environment $VENV"
        "${MMLC_BASE_PYTHON:-python3}" -m venv "$VENV"
    fi
    PY="$VENV/bin/python"
fi

# The stamp records what this environment was set up from; a match plus a
# working import means there is nothing to do.
fingerprint() {
    cat "$REPO_ROOT"/requirements/*.txt "$REPO_ROOT/setup.py" "${BASH_SOURCE[0]}" \
        | sha256sum | cut -c1-16
}
STAMP_DIR="$("$PY" -c 'import sys; print(sys.prefix)')"
STAMP="$STAMP_DIR/.mmlc-setup-$(fingerprint)"
if [[ -f "$STAMP" ]] && "$PY" -c "import mmlc, mmpretrain, mmdet, mmseg, mmpose, mmcv.ops" 2>/dev/null; then
    log "environment ready ($PY)"
    echo "$PY" >&3
    exit 0
fi

PIP=("$PY" -m pip install --disable-pip-version-check)

# 1. torch: keep an importable one, otherwise the pinned pair.
if "$PY" -c "import torch, torchvision" 2>/dev/null; then
    log "using installed $("$PY" -c 'import torch; print("torch", torch.__version__)')"
else
    log "installing $TORCH_PINS"
    "${PIP[@]}" $TORCH_PINS
fi

# 2. build tools mmcv's setup.py needs (pkg_resources lives in setuptools < 82).
"${PIP[@]}" -q "setuptools<82" wheel ninja packaging

# 3. mmcv with compiled ops, from the wheel cache or built once from source.
if "$PY" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '$MMCV_VERSION'" 2>/dev/null; then
    log "mmcv $MMCV_VERSION with ops already installed"
else
    KEY="$("$PY" -c 'import sys, torch; print("torch%s-cuda%s-cp%d%d" % (torch.__version__, torch.version.cuda or "none", *sys.version_info[:2]))')"
    WHEEL_DIR="$CACHE_DIR/wheels/mmcv-$MMCV_VERSION-$KEY"
    if ! ls "$WHEEL_DIR"/mmcv-*.whl >/dev/null 2>&1; then
        log "building mmcv $MMCV_VERSION with ops for $KEY (about 10 min on 2 cores)"
        "${PIP[@]}" -q "mmengine==0.10.7" addict yapf opencv-python-headless "numpy<2"
        BUILD_DIR="$(mktemp -d)"
        trap 'rm -rf "$BUILD_DIR"' EXIT
        "$PY" -m pip download -q --no-deps --no-binary mmcv --no-build-isolation \
            "mmcv==$MMCV_VERSION" -d "$BUILD_DIR"
        tar -xzf "$BUILD_DIR/mmcv-$MMCV_VERSION.tar.gz" -C "$BUILD_DIR"
        SRC="$BUILD_DIR/mmcv-$MMCV_VERSION"
        # torch >= 2.13 headers need C++20; mmcv 2.1.0 hard-codes C++17 (mmcv issue 3341).
        if "$PY" -c 'import sys, torch; v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]); sys.exit(0 if v >= (2, 13) else 1)'; then
            sed -i 's/-std=c++17/-std=c++20/g' "$SRC/setup.py"
        fi
        mkdir -p "$WHEEL_DIR.partial"
        (cd "$SRC" && MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
            "$PY" -m pip wheel --no-build-isolation --no-deps -w "$WHEEL_DIR.partial" .)
        rm -rf "$WHEEL_DIR" && mv "$WHEEL_DIR.partial" "$WHEEL_DIR"
    else
        log "using cached mmcv wheel from $WHEEL_DIR"
    fi
    "${PIP[@]}" --no-deps "$WHEEL_DIR"/mmcv-*.whl
fi

# 4. the OpenMMLab packages, their real runtime needs, mmpose, mmlc itself.
"${PIP[@]}" -r "$REPO_ROOT/requirements/mminstall.txt" -r "$REPO_ROOT/requirements/runtime.txt" \
    -r "$REPO_ROOT/requirements/tests.txt" -r "$REPO_ROOT/requirements/optional.txt"
# mmpose without its chumpy (requirements/mmpose.txt says why)
"${PIP[@]}" --no-deps -r "$REPO_ROOT/requirements/mmpose.txt"
"${PIP[@]}" --no-deps --no-build-isolation -e "$REPO_ROOT"
"$PY" -c "import mmlc, mmpretrain, mmdet, mmseg, mmpose, mmcv.ops"

rm -f "$STAMP_DIR"/.mmlc-setup-*
touch "$STAMP"
log "environment ready ($PY)"
echo "$PY" >&3

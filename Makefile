# The two commands of the README. Each sets up what is missing first
# (tools/setup_env.sh is idempotent: seconds on a ready environment).
SETUP := tools/setup_env.sh
WORK_DIR ?= work_dirs/demo
PYTEST_ARGS ?=

.PHONY: demo test test-all setup lint

setup:
	@$(SETUP) >/dev/null

demo:
	@PY=$$($(SETUP)) && "$$PY" tools/benchmarks/toy_demo.py --work-dir $(WORK_DIR)

test:
	@PY=$$($(SETUP)) && "$$PY" -m pytest tests $(PYTEST_ARGS)

test-all:
	@PY=$$($(SETUP)) && "$$PY" -m pytest tests -m "" $(PYTEST_ARGS)

# flake8, isort and yapf with the settings in setup.cfg (OpenMMLab's)
LINT_PATHS := mmlc tools tests configs setup.py
lint:
	@PY=$$($(SETUP)) && "$$PY" -m flake8 $(LINT_PATHS) \
		&& "$$PY" -m isort --check-only --diff $(LINT_PATHS) \
		&& "$$PY" -m yapf --diff --recursive $(LINT_PATHS) \
		&& echo "lint: clean"

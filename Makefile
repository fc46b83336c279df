# The two commands of the README. Each sets up what is missing first
# (tools/setup_env.sh is idempotent: seconds on a ready environment).
SETUP := tools/setup_env.sh
WORK_DIR ?= work_dirs/demo
PYTEST_ARGS ?=

.PHONY: demo test test-all setup

setup:
	@$(SETUP) >/dev/null

demo:
	@PY=$$($(SETUP)) && "$$PY" tools/demo.py --work-dir $(WORK_DIR)

test:
	@PY=$$($(SETUP)) && "$$PY" -m pytest tests $(PYTEST_ARGS)

test-all:
	@PY=$$($(SETUP)) && "$$PY" -m pytest tests -m "" $(PYTEST_ARGS)

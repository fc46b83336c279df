"""``import mmlc`` changes nothing outside the registries; set-up is a call."""
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent('''
    import copyreg, json, sys
    import torch
    from mmengine.fileio.backends.registry_utils import backends
    from mmengine.logging import HistoryBuffer

    def state():
        return dict(
            copyreg=HistoryBuffer in copyreg.dispatch_table,
            safe_globals=(
                HistoryBuffer in torch.serialization.get_safe_globals()),
            backend='atomic_local' in backends)

    before = state()
    import mmlc
    from mmlc.registry import MODELS
    after_import = state()
    registered = MODELS.get('LCBYOL') is not None
    from mmlc.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    register_all_modules(init_default_scope=False)  # idempotent
    print(json.dumps(dict(before=before, after_import=after_import,
                          registered=registered, after_setup=state())))
''')


def test_import_changes_no_global_state_and_setup_is_explicit():
    out = subprocess.run([sys.executable, '-c', PROBE],
                         capture_output=True,
                         text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    import json
    result = json.loads(out.stdout.strip().splitlines()[-1])
    nothing = dict(copyreg=False, safe_globals=False, backend=False)
    assert result['before'] == nothing
    assert result['after_import'] == nothing
    assert result['registered']  # components are what the import registers
    assert result['after_setup'] == dict(
        copyreg=True, safe_globals=True, backend=True)


def test_another_backend_under_our_name_is_an_error_not_overridden():
    from mmengine.fileio import LocalBackend
    from mmengine.fileio.backends.registry_utils import backends

    from mmlc.utils import AtomicLocalBackend, register_atomic_backend
    register_atomic_backend()
    assert backends['atomic_local'] is AtomicLocalBackend
    backends['atomic_local'] = LocalBackend
    try:
        with pytest.raises(
                KeyError, match='already registered as LocalBackend'):
            register_atomic_backend()
    finally:
        backends['atomic_local'] = AtomicLocalBackend

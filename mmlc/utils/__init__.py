from .fileio import (AtomicLocalBackend, atomic_write, is_remote,
                     register_atomic_backend, write_json, write_text)
from .rng import get_rng_state, set_rng_state
from .setup_env import register_all_modules, setup_checkpoint_io
from .torch_load_policy import (allow_mmengine_checkpoints,
                                mmengine_safe_globals)

__all__ = [
    'AtomicLocalBackend', 'allow_mmengine_checkpoints', 'atomic_write',
    'get_rng_state', 'is_remote', 'mmengine_safe_globals',
    'register_all_modules', 'register_atomic_backend', 'set_rng_state',
    'setup_checkpoint_io', 'write_json', 'write_text'
]

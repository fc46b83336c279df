from .checkpoint import allow_mmengine_checkpoints, mmengine_safe_globals
from .fileio import (AtomicLocalBackend, atomic_write, is_remote, write_json,
                     write_text)
from .rng import get_rng_state, set_rng_state

__all__ = [
    'AtomicLocalBackend', 'allow_mmengine_checkpoints', 'atomic_write',
    'get_rng_state', 'is_remote', 'mmengine_safe_globals', 'set_rng_state',
    'write_json', 'write_text'
]

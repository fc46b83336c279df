from .checkpoint import allow_mmengine_checkpoints, mmengine_safe_globals
from .fileio import atomic_write, write_json, write_text

__all__ = ['allow_mmengine_checkpoints', 'atomic_write', 'mmengine_safe_globals', 'write_json',
           'write_text']

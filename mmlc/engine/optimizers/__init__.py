from .cpu_autocast import CPUAutocastOptimWrapper, cpu_has_native_bfloat16

__all__ = ['CPUAutocastOptimWrapper', 'cpu_has_native_bfloat16']

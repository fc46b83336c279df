from .cpu_autocast import CPUAutocastOptimWrapper

__all__ = ['CPUAutocastOptimWrapper']

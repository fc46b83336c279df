from .lc_head import LCHead

__all__ = ['LCHead']

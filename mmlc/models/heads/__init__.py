from .dino_head import DINOHead
from .lc_head import LCHead

__all__ = ['DINOHead', 'LCHead']

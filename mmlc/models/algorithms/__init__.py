from .lc_byol import LCBYOL

__all__ = ['LCBYOL']

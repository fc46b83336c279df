from .dense_view_features import DenseViewFeatures
from .lc_byol import LCBYOL

__all__ = ['DenseViewFeatures', 'LCBYOL']

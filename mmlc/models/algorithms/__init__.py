from .dense_view_features import DenseViewFeatures
from .dino import DINO
from .lc_byol import LCBYOL
from .lc_densecl import LCDenseCL
from .lc_dino import LCDINO
from .lc_mocov2 import LCMoCoV2
from .lc_simsiam import LCSimSiam
from .local_branch import LocalBranch

__all__ = [
    'DINO', 'LCDINO', 'DenseViewFeatures', 'LCBYOL', 'LCDenseCL', 'LCMoCoV2',
    'LCSimSiam', 'LocalBranch'
]

from .algorithms import (LCBYOL, DenseViewFeatures, LCDenseCL, LCMoCoV2,
                         LCSimSiam, LocalBranch)
from .heads import LCHead
from .losses import (LocalContrastiveLoss, LocalMSELoss,
                     local_contrastive_loss, local_mse_loss)
from .necks import LocalProjectionNeck
from .utils import map_grid_points

__all__ = [
    'DenseViewFeatures', 'LCBYOL', 'LCDenseCL', 'LCHead', 'LCMoCoV2',
    'LCSimSiam', 'LocalBranch', 'LocalContrastiveLoss', 'LocalMSELoss',
    'LocalProjectionNeck', 'local_contrastive_loss', 'local_mse_loss',
    'map_grid_points'
]

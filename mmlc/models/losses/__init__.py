from .dino_loss import DINOLoss
from .local_contrastive import (LocalContrastiveLoss, LocalMSELoss,
                                local_contrastive_loss, local_mse_loss)

__all__ = [
    'DINOLoss', 'LocalContrastiveLoss', 'LocalMSELoss',
    'local_contrastive_loss', 'local_mse_loss'
]

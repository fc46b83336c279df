from .local_contrastive import (LocalContrastiveLoss, LocalMSELoss,
                                local_contrastive_loss, local_mse_loss)

__all__ = [
    'LocalContrastiveLoss', 'LocalMSELoss', 'local_contrastive_loss',
    'local_mse_loss'
]

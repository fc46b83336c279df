from .dino_projection import DINOProjection
from .local_projection import LocalProjectionNeck

__all__ = ['DINOProjection', 'LocalProjectionNeck']

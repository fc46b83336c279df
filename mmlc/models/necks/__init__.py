from .local_projection import LocalProjectionNeck

__all__ = ['LocalProjectionNeck']

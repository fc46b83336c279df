from .resumable_sampler import ResumableSampler

__all__ = ['ResumableSampler']

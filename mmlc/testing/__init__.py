"""Helpers for tests and profilers (as ``mmdet.testing``): nothing here is
used by training."""
from .batches import fake_view_batch

__all__ = ['fake_view_batch']

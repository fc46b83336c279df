"""Correspondence accuracy as an mmengine metric (paper Sec. 4.6)."""
from typing import List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric

from mmlc.registry import METRICS
from ..correspondence import view_correspondence_accuracy


def _field(sample, key: str):
    value = sample.get(key) if isinstance(sample, dict) else getattr(
        sample, key, None)
    if value is None:
        raise KeyError(
            f'CorrespondenceAccuracy: a data sample has no `{key}`: the '
            'model must be one whose predict mode writes the views\' dense '
            'features (e.g. DenseViewFeatures) and the pipeline must pack '
            "view_boxes and view_flips (PackInputs' algorithm_keys)")
    return torch.as_tensor(value)


@METRICS.register_module()
class CorrespondenceAccuracy(BaseMetric):
    """Dense correspondence accuracy of two views of each image, in a test
    loop.

    For every cell of view 0's final-stage map, the most cosine-similar cell
    of view 1 is found; a match is correct when it is the cell that shows the
    same image point (from the views' recorded geometry). With view 0 the
    whole image and view 1 its mirror (each with its own colour transform)
    this is the paper's flip protocol, equal to
    :func:`mmlc.evaluation.flip_correspondence_accuracy`; any crop pair
    recorded by ``MultiViewWithGeometry`` works too.

    Each data sample needs ``view_dense`` ([2, C, h, w], written by the
    model's predict mode, e.g. ``DenseViewFeatures``), ``view_boxes`` and
    ``view_flips``. Only one number per image is kept, so the features are
    never gathered across ranks.

    Args:
        tolerance (int): a match within this many cells counts as correct.
        collect_device (str): ``'cpu'`` or ``'gpu'``, as mmengine's metrics.
        prefix (str, optional): metric name prefix; ``correspondence`` by
            default.

    Returns (of :meth:`compute_metrics`): ``accuracy`` in percent, the mean
    over images.
    """
    default_prefix = 'correspondence'

    def __init__(self,
                 tolerance: int = 0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if tolerance < 0:
            raise ValueError(f'tolerance must be >= 0, got {tolerance}')
        self.tolerance = tolerance

    def process(self, data_batch, data_samples: Sequence) -> None:
        for sample in data_samples:
            view_dense = _field(sample, 'view_dense')
            if view_dense.dim() != 4 or view_dense.shape[0] != 2:
                raise ValueError(
                    'CorrespondenceAccuracy: `view_dense` must be [2, C, h, '
                    f'w] (two views), got {tuple(view_dense.shape)}')
            view_dense = view_dense.float().cpu()
            accuracy = view_correspondence_accuracy(
                view_dense[:1], view_dense[1:],
                _field(sample, 'view_boxes').float().cpu()[None],
                _field(sample, 'view_flips').bool().cpu()[None],
                self.tolerance)
            self.results.append(float(accuracy[0]))

    def compute_metrics(self, results: List[float]) -> dict:
        scored = [value for value in results if value == value]
        if not scored:
            raise ValueError(
                'CorrespondenceAccuracy: no image had a cell of view 0 '
                'inside view 1')
        return dict(accuracy=100.0 * sum(scored) / len(scored))

"""Compute a frozen backbone's features once per distinct input."""
import hashlib
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmcv.cnn.bricks import DropPath
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.modules.dropout import _DropoutNd
from torch.nn.modules.instancenorm import _InstanceNorm

from mmlc.registry import HOOKS

# layers whose output depends on train / eval mode
MODE_DEPENDENT = (_BatchNorm, _InstanceNorm, _DropoutNd, DropPath)
Features = Tuple[torch.Tensor, ...]


def input_key(sample: torch.Tensor) -> bytes:
    """A digest of one input sample (C, H, W): its dtype, shape and bytes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f'{sample.dtype}{tuple(sample.shape)}'.encode())
    digest.update(sample.detach().cpu().contiguous().numpy().tobytes())
    return digest.digest()


@HOOKS.register_module()
class FrozenBackboneCacheHook(Hook):
    """Serve a frozen backbone's features for inputs it has already seen.

    In a frozen-backbone benchmark only the heads train, and with a
    deterministic data pipeline the backbone sees the same images every
    epoch. When no backbone parameter requires grad and every mode-dependent
    layer (BN, dropout, drop path) is in eval mode, the backbone is a fixed
    function of its input, and in eval mode each sample's features do not
    depend on the rest of its batch. So the hook computes each input's
    features once and serves them again, the heads train on what an uncached
    run computes, and only the backbone's time is saved.

    Each sample is keyed by a digest of its own input tensor, so a changed
    input (an augmenting pipeline) is a miss and computed as usual: the cache
    can only save time, never change what is trained. The hook wraps
    ``model.backbone.forward`` from ``before_train`` to ``after_train``; the
    test after training runs the backbone as usual.

    Checked, with an error naming the config key to change: before training,
    that no backbone parameter requires grad (``model.backbone.frozen_stages``)
    and at every forward that the mode-dependent layers are in eval mode
    (``model.backbone.norm_eval``).

    Args:
        max_bytes (int): the cache stores no new features once it holds this
            many bytes; inputs past that are computed every time they come.
            Defaults to 4 GiB.
    """

    priority = 'LOW'

    def __init__(self, max_bytes: int = 4 << 30) -> None:
        if max_bytes < 0:
            raise ValueError(
                f'FrozenBackboneCacheHook: max_bytes must be >= 0, got '
                f'{max_bytes}')
        self.max_bytes = max_bytes
        self._cache: Dict[bytes, Features] = {}
        self._cached_bytes = 0
        # samples served from the cache / computed, over the whole run
        self.hits = self.misses = 0
        self._returns_tensor = False
        self._backbone: Optional[nn.Module] = None
        self._mode_dependent: List[Tuple[str, nn.Module]] = []

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        backbone = model.backbone
        trainable = [
            name for name, param in backbone.named_parameters()
            if param.requires_grad
        ]
        if trainable:
            raise RuntimeError(
                'FrozenBackboneCacheHook needs a frozen backbone, but '
                f'{len(trainable)} backbone parameters require grad '
                f'(model.backbone.{trainable[0]}, ...): freeze every stage '
                'with model.backbone.frozen_stages, or remove the hook')
        self._mode_dependent = [(name, module)
                                for name, module in backbone.named_modules()
                                if isinstance(module, MODE_DEPENDENT)]
        self._backbone = backbone
        backbone.forward = self._make_cached_forward(backbone.forward)

    def after_train(self, runner) -> None:
        if self._backbone is None:
            return
        del self._backbone.forward
        self._backbone = None
        total = self.hits + self.misses
        runner.logger.info(
            f'FrozenBackboneCacheHook: {self.hits} of {total} samples '
            f'served from the cache ({len(self._cache)} inputs cached, '
            f'{self._cached_bytes / 2**20:.0f} MiB)')
        self._cache.clear()
        self._cached_bytes = 0

    def _make_cached_forward(self, forward):

        def cached_forward(inputs: torch.Tensor):
            self._check_eval_mode()
            return self._features(forward, inputs)

        return cached_forward

    def _check_eval_mode(self) -> None:
        training = [
            name for name, module in self._mode_dependent if module.training
        ]
        if training:
            raise RuntimeError(
                'FrozenBackboneCacheHook: backbone layer '
                f'model.backbone.{training[0]} is in training mode, so its '
                'output depends on the batch or on chance: set '
                'model.backbone.norm_eval=True (and no dropout or drop path '
                'in the backbone), or remove the hook')

    def _features(self, forward,
                  inputs: torch.Tensor) -> Union[torch.Tensor, Features]:
        """``forward(inputs)``, computing only the samples not cached.

        Args:
            forward: the backbone's own forward.
            inputs (Tensor): (N, C, H, W) batch.

        Returns:
            Tensor or tuple[Tensor]: what ``forward`` returns, each tensor
            (N, ...).
        """
        keys = [input_key(sample) for sample in inputs]
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if len(missing) == len(keys):
            outputs = forward(inputs)
            self._store_batch(keys, outputs)
            return outputs
        per_sample = [self._cache.get(key) for key in keys]
        if missing:
            outputs = forward(inputs[missing])
            fresh = self._store_batch([keys[i] for i in missing], outputs)
            for index, features in zip(missing, fresh):
                per_sample[index] = features
        stacked = tuple(
            torch.stack([features[level] for features in per_sample])
            for level in range(len(per_sample[0])))
        return stacked[0] if self._returns_tensor else stacked

    def _store_batch(self, keys: List[bytes],
                     outputs: Union[torch.Tensor, Features]) -> List[Features]:
        """Split a batch's outputs into per-sample features and cache each
        while the budget allows; returns the per-sample features."""
        self._returns_tensor = isinstance(outputs, torch.Tensor)
        levels = (outputs, ) if self._returns_tensor else tuple(outputs)
        per_sample = []
        for row, key in enumerate(keys):
            features = tuple(level[row].detach().clone() for level in levels)
            size = sum(t.element_size() * t.numel() for t in features)
            if self._cached_bytes + size <= self.max_bytes:
                self._cache[key] = features
                self._cached_bytes += size
            per_sample.append(features)
        return per_sample

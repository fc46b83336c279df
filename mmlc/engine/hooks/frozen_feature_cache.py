"""Compute a frozen backbone's features once per distinct input."""
import hashlib
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

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
BackboneOutput = Union[torch.Tensor, Sequence[torch.Tensor]]


def input_keys(inputs: torch.Tensor) -> List[bytes]:
    """A digest per sample of an (N, C, H, W) batch: its dtype, shape, bytes
    and the autocast state the backbone would run under."""
    device = inputs.device.type
    autocast = (
        torch.is_autocast_enabled(device) and torch.get_autocast_dtype(device))
    header = f'{inputs.dtype}{tuple(inputs.shape[1:])}{autocast}'.encode()
    samples = inputs.detach().cpu().contiguous().numpy()
    keys = []
    for sample in samples:
        digest = hashlib.blake2b(header, digest_size=16)
        digest.update(sample.tobytes())
        keys.append(digest.digest())
    return keys


@HOOKS.register_module()
class FrozenBackboneCacheHook(Hook):
    """Serve a frozen backbone's features for inputs it has already seen.

    In a frozen-backbone benchmark only the heads train, and with a
    deterministic data pipeline the backbone sees the same images every
    epoch. When no backbone parameter requires grad and the backbone is
    deterministic (BN in eval mode, no dropout or drop path active), it is a
    fixed function of its input, and each sample's features do not depend on
    the rest of its batch. So the hook computes each input's features once
    and serves them again during training; the heads train on what an
    uncached run computes, up to the floating-point rounding of computing a
    sample in a batch of another size, and the backbone's time is saved.

    Each sample is keyed by a digest of its own input tensor (and the
    autocast state), so a changed input, e.g. from an augmenting pipeline, is
    a miss and computed as usual; it then costs the digest and memory. The
    hook wraps ``model.backbone.forward`` from ``before_train`` to
    ``after_train`` and caches only while the backbone module is in training
    mode: validation and the test after training (``model.eval()``) run the
    backbone as usual. The features are kept on the inputs' device, in each
    process.

    Checked, with an error naming the config key to change: before training,
    that no backbone parameter requires grad
    (``model.backbone.frozen_stages``); at every cached forward, that BN,
    dropout and drop-path layers are in eval mode
    (``model.backbone.norm_eval``); and at the first, that computing the
    batch twice gives the same features (no other source of chance).

    Args:
        max_bytes (int): the cache stores no new features once it holds this
            many bytes; inputs past that are computed every time they come.
            Defaults to 4 GiB.
    """

    # after the hooks that load or freeze the backbone's weights
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
        self._output_type: Optional[type] = None
        self._checked_determinism = False
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

    def _make_cached_forward(
        self,
        forward: Callable[...,
                          BackboneOutput]) -> Callable[..., BackboneOutput]:
        """``forward`` behind the cache, for batches that can be keyed."""

        def cached_forward(inputs: torch.Tensor, *args,
                           **kwargs) -> BackboneOutput:
            if args or kwargs or not self._backbone.training:
                return forward(inputs, *args, **kwargs)
            self._check_eval_mode()
            if not self._checked_determinism:
                return self._first_batch(forward, inputs)
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

    def _first_batch(self, forward: Callable[..., BackboneOutput],
                     inputs: torch.Tensor) -> BackboneOutput:
        """Compute the first batch twice and refuse a backbone whose output
        changed (dropout outside the checked layer types, for example);
        cache and return the first result."""
        outputs = forward(inputs)
        levels = self._levels(outputs)
        again = self._levels(forward(inputs))
        if not all(
                torch.allclose(a, b, rtol=1e-4, atol=1e-5)
                for a, b in zip(levels, again)):
            raise RuntimeError(
                'FrozenBackboneCacheHook: the backbone gave different '
                'features for the same batch twice, so they cannot be '
                'cached: turn off dropout / drop path in model.backbone, '
                'or remove the hook')
        self._checked_determinism = True
        self.misses += len(inputs)
        self._store(input_keys(inputs), levels)
        return outputs

    def _levels(self, outputs: BackboneOutput) -> Features:
        self._output_type = type(outputs)
        if isinstance(outputs, torch.Tensor):
            return (outputs, )
        return tuple(outputs)

    def _features(self, forward: Callable[..., BackboneOutput],
                  inputs: torch.Tensor) -> BackboneOutput:
        """``forward(inputs)``, computing only the samples not cached.

        Args:
            forward: the backbone's own forward.
            inputs (Tensor): (N, C, H, W) batch.

        Returns:
            Tensor or sequence of Tensor: what ``forward`` returns, each
            tensor (N, ...).
        """
        keys = input_keys(inputs)
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if len(missing) == len(keys):
            outputs = forward(inputs)
            self._store(keys, self._levels(outputs))
            return outputs
        per_sample = [self._cache.get(key) for key in keys]
        if missing:
            fresh = self._store([keys[i] for i in missing],
                                self._levels(forward(inputs[missing])))
            for index, features in zip(missing, fresh):
                per_sample[index] = features
        stacked = tuple(
            torch.stack([features[level] for features in per_sample])
            for level in range(len(per_sample[0])))
        if self._output_type is torch.Tensor:
            return stacked[0]
        return self._output_type(stacked)

    def _store(self, keys: List[bytes], levels: Features) -> List[Features]:
        """Split a batch's outputs into per-sample features and cache each
        new one while the budget allows.

        Args:
            keys (list[bytes]): the N samples' digests.
            levels (tuple[Tensor]): the backbone's outputs, each (N, ...).

        Returns:
            list[tuple[Tensor]]: the N samples' features, each (...).
        """
        size = sum(level[0].element_size() * level[0].numel()
                   for level in levels)
        per_sample = []
        for row, key in enumerate(keys):
            features = tuple(level[row].detach() for level in levels)
            if (key not in self._cache
                    and self._cached_bytes + size <= self.max_bytes):
                features = tuple(feature.clone() for feature in features)
                self._cache[key] = features
                self._cached_bytes += size
            per_sample.append(features)
        return per_sample

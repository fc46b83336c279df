"""LC-loss (Eq. 2-4 of the paper) and the local-MSE variant (Table 6)."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmlc.registry import MODELS

# vectors shorter than this are divided by it instead of their norm: the
# gradient of normalisation grows like 1 / norm, and this bound keeps the
# gradient with respect to a zero feature finite even in fp16 (|grad| <=
# 2 / (tau * _NORM_EPS) per pair, below fp16's 65504 for tau >= 0.05)
_NORM_EPS = 1e-3
# up to this many (target cell, online position) pairs per sample the direct
# form is used by impl='auto' (a 14 x 14 grid against 14 x 14 is 38,416)
DIRECT_MAX_PAIRS = 40_000


def _check_inputs(target_feat: Tensor, online_feat: Tensor, points: Tensor,
                  valid: Tensor) -> None:
    if target_feat.dim() != 4 or online_feat.dim() != 4:
        raise ValueError(
            'target_feat and online_feat must be [B, C, h, w], got '
            f'{tuple(target_feat.shape)} and {tuple(online_feat.shape)}')
    b, c, h_t, w_t = target_feat.shape
    if online_feat.shape[:2] != (b, c):
        raise ValueError(
            f'online_feat {tuple(online_feat.shape)} does not match '
            f'target_feat {tuple(target_feat.shape)} in batch or channels')
    if points.shape != (b, h_t * w_t, 2) or valid.shape != (b, h_t * w_t):
        raise ValueError(
            f'points {tuple(points.shape)} / valid {tuple(valid.shape)} '
            f'must be [{b}, {h_t * w_t}, 2] / [{b}, {h_t * w_t}]')


def _unit(feat: Tensor) -> Tensor:
    """L2-normalise dim 1 in float32 without overflow for any finite input.

    Dividing first by the (detached) largest magnitude when it exceeds 1 keeps
    the squares finite for features up to float32's range; normalisation is
    scale-invariant, so value and gradient are those of ``F.normalize`` for
    every vector longer than ``_NORM_EPS``.
    """
    feat = feat.float()
    scale = feat.detach().abs().amax(dim=1, keepdim=True).clamp(min=1.0)
    return F.normalize(feat / scale, dim=1, eps=_NORM_EPS)


def _masked_mean(values: Tensor, valid: Tensor) -> Tensor:
    """Mean of ``values`` over ``valid``; zero (still differentiable) when
    none is."""
    weights = valid.to(values.dtype)
    values = torch.where(valid, values, torch.zeros_like(values))
    return (values * weights).sum() / weights.sum().clamp(min=1.0)


def _direct_nll(target: Tensor, online: Tensor, points: Tensor,
                online_hw: Tuple[int, int], temperature: float) -> Tensor:
    """Eq. 2-4 literally: the full NLL map per target cell, sampled at
    ``points``.

    Memory O(B * N_t * N_o). ``target`` [B, C, N_t], ``online`` [B, C, N_o],
    both L2-normalised; returns [B, N_t].
    """
    b, n_t = target.shape[0], target.shape[-1]
    logits = torch.einsum('bct,bco->bto', target, online) / temperature
    nll_maps = -torch.log_softmax(
        logits, dim=-1).reshape(b * n_t, 1, *online_hw)
    grid = points.reshape(b * n_t, 1, 1, 2)
    sampled = F.grid_sample(
        nll_maps,
        grid,
        mode='bilinear',
        padding_mode='border',
        align_corners=False)
    return sampled.reshape(b, n_t)


def _chunk_logsumexp(target_chunk: Tensor, online: Tensor,
                     temperature: float) -> Tensor:
    return torch.logsumexp(
        torch.einsum('bct,bco->bto', target_chunk, online) / temperature,
        dim=-1)


def _chunked_nll(target: Tensor, online: Tensor, points: Tensor,
                 online_hw: Tuple[int, int], temperature: float,
                 chunk_size: int) -> Tensor:
    """The same NLL without any (N_t x N_o) tensor kept alive.

    Bilinear weights sum to one, so the interpolated NLL is
    ``logsumexp_k(s(p_c, k) / tau) - s_interp(p_c, p_sc) / tau``, where
    ``s_interp`` is the cosine of the target feature with the bilinearly
    sampled (normalised) online features. The log-sum-exp runs over chunks of
    ``chunk_size`` target cells, each recomputed in the backward pass
    (activation checkpointing), so peak extra memory is
    O(B * chunk_size * N_o) plus O(B * C * (N_t + N_o)).
    """
    from torch.utils.checkpoint import checkpoint
    lse = torch.cat([
        checkpoint(
            _chunk_logsumexp,
            target[..., start:start + chunk_size],
            online,
            temperature,
            use_reentrant=False)
        for start in range(0, target.shape[-1], chunk_size)
    ],
                    dim=1)
    online_maps = online.reshape(*online.shape[:2], *online_hw)
    sampled = F.grid_sample(
        online_maps,
        points.unsqueeze(2),
        mode='bilinear',
        padding_mode='border',
        align_corners=False).squeeze(-1)
    similarity = (target * sampled).sum(dim=1)
    return lse - similarity / temperature


def local_contrastive_loss(target_feat: Tensor,
                           online_feat: Tensor,
                           points: Tensor,
                           valid: Tensor,
                           temperature: float,
                           impl: str = 'auto',
                           chunk_size: int = 256) -> Tensor:
    """LC-loss: bilinearly interpolated contrastive NLL at the true
    correspondence.

    For every cell ``p_c`` of the target map, the cosine similarity with every
    position of the online map, divided by ``temperature``, gives a negative
    log-softmax (NLL) map over the online view (Eq. 2-3); that NLL map is
    sampled bilinearly at the sub-pixel ``p_sc`` (border values between the
    outermost cell centres and the view border) and averaged over all valid
    pairs of the batch (Eq. 4). Computed in float32 even under autocast.

    Args:
        target_feat (Tensor): [B, C, h_t, w_t] target dense features (from
            ``Ic``).
        online_feat (Tensor): [B, C, h_o, w_o] online dense features (from
            ``Isc``).
        points (Tensor): [B, h_t * w_t, 2] position of each target cell centre
            in the online view, ``grid_sample(align_corners=False)``
            coordinates.
        valid (Tensor): [B, h_t * w_t] bool, the position lies inside the
            online view.
        temperature (float): tau > 0.
        impl (str): ``direct`` (the NLL maps of Eq. 3, O(N_t * N_o) memory),
            ``chunked`` (exact, memory linear in the number of cells) or
            ``auto``: ``direct`` up to ``DIRECT_MAX_PAIRS`` (N_t * N_o) per
            sample, ``chunked`` above.
        chunk_size (int): target cells per chunk of the chunked form.

    Returns:
        Tensor: scalar loss.
    """
    _check_inputs(target_feat, online_feat, points, valid)
    if temperature <= 0:
        raise ValueError(f'temperature must be > 0, got {temperature}')
    online_hw = tuple(online_feat.shape[-2:])
    n_pairs = target_feat.shape[-2] * target_feat.shape[-1] * online_hw[
        0] * online_hw[1]
    if impl == 'auto':
        impl = 'direct' if n_pairs <= DIRECT_MAX_PAIRS else 'chunked'
    if impl not in ('direct', 'chunked'):
        raise ValueError(
            f"impl must be 'auto', 'direct' or 'chunked', got {impl!r}")
    with torch.autocast(device_type=target_feat.device.type, enabled=False):
        target = _unit(target_feat.flatten(2))
        online = _unit(online_feat.flatten(2))
        if impl == 'direct':
            nll = _direct_nll(target, online, points.float(), online_hw,
                              temperature)
        else:
            nll = _chunked_nll(target, online, points.float(), online_hw,
                               temperature, chunk_size)
        return _masked_mean(nll, valid.bool())


def local_mse_loss(target_feat: Tensor, online_feat: Tensor, points: Tensor,
                   valid: Tensor) -> Tensor:
    """L2-normalised MSE between corresponding local features (Table 6
    ablation).

    The online map is sampled bilinearly at ``points`` (the same sampling as
    :func:`local_contrastive_loss`), both features are L2-normalised, and the
    squared distance ``2 - 2 cos`` is averaged over valid pairs.

    Args:
        target_feat (Tensor): [B, C, h_t, w_t].
        online_feat (Tensor): [B, C, h_o, w_o].
        points (Tensor): [B, h_t * w_t, 2].
        valid (Tensor): [B, h_t * w_t] bool.

    Returns:
        Tensor: scalar loss.
    """
    _check_inputs(target_feat, online_feat, points, valid)
    with torch.autocast(device_type=target_feat.device.type, enabled=False):
        target = _unit(target_feat.flatten(2))
        sampled = F.grid_sample(
            online_feat.float(),
            points.float().unsqueeze(2),
            mode='bilinear',
            padding_mode='border',
            align_corners=False).squeeze(-1)
        sampled = _unit(sampled)
        distance = (target - sampled).pow(2).sum(dim=1)
        return _masked_mean(distance, valid.bool())


@MODELS.register_module()
class LocalContrastiveLoss(BaseModule):
    """Module wrapper of :func:`local_contrastive_loss`.

    Args:
        temperature (float): tau > 0. Defaults to 0.2.
        loss_weight (float): multiplier of the returned value. Defaults to 1.0.
        impl (str): ``auto``, ``direct`` or ``chunked``; see
            :func:`local_contrastive_loss`.
        chunk_size (int): target cells per chunk of the chunked form.
    """

    def __init__(self,
                 temperature: float = 0.2,
                 loss_weight: float = 1.0,
                 impl: str = 'auto',
                 chunk_size: int = 256,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not temperature > 0:
            raise ValueError(
                f'LocalContrastiveLoss: temperature (tau) must be > 0, '
                f'got {temperature}')
        if impl not in ('auto', 'direct', 'chunked'):
            raise ValueError(
                f"LocalContrastiveLoss: impl must be 'auto', 'direct' or "
                f"'chunked', got {impl!r}")
        self.temperature = float(temperature)
        self.loss_weight = float(loss_weight)
        self.impl = impl
        self.chunk_size = int(chunk_size)

    def forward(self, target_feat: Tensor, online_feat: Tensor, points: Tensor,
                valid: Tensor) -> Tensor:
        return self.loss_weight * local_contrastive_loss(
            target_feat, online_feat, points, valid, self.temperature,
            self.impl, self.chunk_size)


@MODELS.register_module()
class LocalMSELoss(BaseModule):
    """Module wrapper of :func:`local_mse_loss`.

    Args:
        loss_weight (float): multiplier of the returned value. Defaults to 1.0.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_weight = float(loss_weight)

    def forward(self, target_feat: Tensor, online_feat: Tensor, points: Tensor,
                valid: Tensor) -> Tensor:
        return self.loss_weight * local_mse_loss(target_feat, online_feat,
                                                 points, valid)

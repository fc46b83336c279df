"""Mixed precision on the CPU: bfloat16 autocast for the forward pass."""
import logging
from contextlib import contextmanager

import torch
from mmengine.logging import print_log
from mmengine.optim import OptimWrapper
from torch import nn

from mmlc.registry import OPTIM_WRAPPERS


def cpu_has_native_bfloat16() -> bool:
    """Whether oneDNN has native bfloat16 kernels on this CPU (AVX512 or AMX
    on x86).

    Without them ``torch.autocast('cpu', torch.bfloat16)`` still computes in
    bfloat16, through slow fallback kernels: on a 2-core AVX2 CPU one step
    of the LC-BYOL toy config took 172 s in bfloat16 against 8.9 s in
    float32 (docs/performance.md).
    """
    if not torch.backends.mkldnn.is_available():
        return False
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


@OPTIM_WRAPPERS.register_module()
class CPUAutocastOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward pass runs under ``torch.autocast('cpu',
    bfloat16)`` where the CPU has native bfloat16 kernels, and in float32
    where it has not.

    mmengine's ``AmpOptimWrapper`` asserts a GPU. On a CPU with bfloat16
    instructions (AVX512-BF16, AMX) autocast takes a toy ResNet step from
    3.0 s to 1.8 s; on one without them (AVX2) it makes the step about 19
    times slower, so the wrapper trains in float32 there and says so in a
    warning. ``cast_dtype`` holds the choice (``torch.bfloat16`` or None).
    Parameters, gradients and optimizer states stay float32; bfloat16 has
    float32's exponent range, so no loss scaling is needed. Losses that must
    be float32 disable autocast themselves (mmlc's local losses do).

    Args:
        dtype (str): ``'bfloat16'``, the one low-precision type CPU autocast
            supports for training.
        **kwargs: ``OptimWrapper``'s arguments (``optimizer``, ``clip_grad``,
            ``accumulative_counts``).
    """

    def __init__(self, dtype: str = 'bfloat16', **kwargs) -> None:
        if dtype != 'bfloat16':
            raise ValueError(
                f'optim_wrapper.dtype: CPU autocast trains in bfloat16 only, '
                f'got {dtype!r}')
        super().__init__(**kwargs)
        self.cast_dtype = torch.bfloat16 if cpu_has_native_bfloat16() else None
        if self.cast_dtype is None:
            print_log(
                'optim_wrapper.type=CPUAutocastOptimWrapper: this CPU '
                f'({torch.backends.cpu.get_cpu_capability()}) has no native '
                'bfloat16 kernels, under which autocast runs about 19 times '
                'slower; training in float32 instead',
                logger='current',
                level=logging.WARNING)

    @contextmanager
    def optim_context(self, model: nn.Module):
        autocast = self.cast_dtype is not None
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=torch.bfloat16, enabled=autocast):
            yield

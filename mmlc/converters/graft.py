"""Grafting modules of one network's weights onto another's."""
from typing import Dict, List, Sequence

import torch


def _in_module(name: str, module: str) -> bool:
    return name == module or name.startswith(f'{module}.')


def graft_modules(base: Dict[str, torch.Tensor], donor: Dict[str,
                                                             torch.Tensor],
                  modules: Sequence[str]) -> Dict[str, torch.Tensor]:
    """``base`` with every weight and buffer of ``modules`` taken from
    ``donor``: a ResNet pretrained everywhere but its stem, for example
    (``modules=('conv1', 'bn1')``).

    A module is matched by its full name, so ``conv1`` is the stem's
    convolution and not ``layer1.0.conv1``. BN running statistics travel with
    their module; those of the modules behind it stay ``base``'s.

    Args:
        base (Dict[str, Tensor]): the state dict to start from; not changed.
        donor (Dict[str, Tensor]): the state dict ``modules`` come from, in
            the same layout (``conv1.weight``, ``layer1.0.bn1.running_mean``).
        modules (Sequence[str]): module names (``conv1``, ``layer4``).

    Returns:
        Dict[str, Tensor]: a new state dict with ``base``'s keys, in its
        order.

    Raises:
        ValueError: a module names no key of ``base``; the two state dicts
            hold different keys or shapes within a module.
    """
    if not modules:
        raise ValueError('modules is empty: name the modules to graft')
    grafted = dict(base)
    for module in modules:
        base_keys = [name for name in base if _in_module(name, module)]
        donor_keys = [name for name in donor if _in_module(name, module)]
        if not base_keys:
            raise ValueError(f'module {module!r} names no key of the base '
                             'state dict')
        if sorted(base_keys) != sorted(donor_keys):
            only = sorted(set(base_keys) ^ set(donor_keys))
            raise ValueError(f'module {module!r}: the base and the donor hold '
                             f'different keys ({", ".join(only)} in one only)')
        for name in base_keys:
            if donor[name].shape != base[name].shape:
                raise ValueError(
                    f'{name}: shape {tuple(donor[name].shape)} in the donor, '
                    f'{tuple(base[name].shape)} in the base')
            grafted[name] = donor[name].clone()
    return grafted


def norm_modules(state_dict: Dict[str, torch.Tensor]) -> List[str]:
    """The batch-normalisation modules of a state dict: every module with a
    ``running_mean`` buffer, in the state dict's order (``bn1``,
    ``layer1.0.bn1``, ``layer1.0.downsample.1``, ...), ready for
    :func:`graft_modules`.

    Args:
        state_dict (Dict[str, Tensor]): a network's weights and buffers.

    Returns:
        List[str]: the module names; empty where the network has no BN.
    """
    suffix = '.running_mean'
    return [
        name[:-len(suffix)] for name in state_dict if name.endswith(suffix)
    ]

"""Checkpoint layouts: read any known ResNet checkpoint, validate, write;
graft modules of one state dict onto another; rescale kernels."""
from .convert import (TARGETS, backbone_to_target, convert_checkpoint,
                      read_backbone)
from .errors import ConversionError
from .graft import graft_modules, norm_modules
from .layouts import LAYOUT_NAMES, canonical_to_detectron2, detect_layout
from .rescale import match_kernel_norms
from .validate import (backbone_cfg_from_config, reference_resnet_state,
                       validate_backbone)

__all__ = [
    'TARGETS', 'LAYOUT_NAMES', 'ConversionError', 'backbone_cfg_from_config',
    'backbone_to_target', 'canonical_to_detectron2', 'convert_checkpoint',
    'detect_layout', 'graft_modules', 'match_kernel_norms', 'norm_modules',
    'read_backbone', 'reference_resnet_state', 'validate_backbone'
]

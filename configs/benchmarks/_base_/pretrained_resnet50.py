# Shared by every benchmark config: the pretrained ResNet-50 backbone settings
# and the guard that stops a run whose backbone is not fully loaded. Only new
# keys here (none of mmdet's or mmseg's), so it sits next to their configs in
# `_base_` lists.
#
# The checkpoint reaches a benchmark by one route, the same everywhere:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
# with PATH written by tools/model_converters/convert_checkpoint.py --to
# openmmlab (tools/benchmarks/*/dist_train.sh pass it for you).
_base_ = './resnet50_backbones.py'

custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)
custom_hooks = [dict(type='PretrainedBackboneCheckHook')]

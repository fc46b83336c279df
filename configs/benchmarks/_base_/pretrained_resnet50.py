# Shared by every benchmark config: the pretrained ResNet-50 backbone settings
# and the guard that stops a run whose backbone is not fully loaded. Only new
# keys here (none of mmdet's or mmseg's), so it sits next to their configs in
# `_base_` lists.
#
# The checkpoint reaches a benchmark by one route, the same everywhere:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
# with PATH written by tools/model_converters/convert_checkpoint.py --to
# openmmlab (tools/benchmarks/*/dist_train.sh pass it for you).
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)
custom_hooks = [dict(type='PretrainedBackboneCheckHook')]

# full-network fine-tuning, SyncBN trained in the backbone (the paper's
# protocol)
finetune_resnet50 = dict(
    type='ResNet',
    depth=50,
    frozen_stages=-1,
    norm_cfg=dict(type='SyncBN', requires_grad=True),
    norm_eval=False,
    init_cfg=dict(type='Pretrained', checkpoint=None))
# frozen backbone (Table 4): stem and all four stages frozen, BN in eval mode
frozen_resnet50 = dict(
    type='ResNet',
    depth=50,
    frozen_stages=4,
    norm_cfg=dict(type='BN', requires_grad=False),
    norm_eval=True,
    init_cfg=dict(type='Pretrained', checkpoint=None))

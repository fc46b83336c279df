# The pretrained ResNet-50 backbone settings of the benchmarks, as
# variables only (no mmdet / mmseg / mmpose key), for `_base_` lists:
# `pretrained_resnet50.py` adds the load guard to them; the mmpose configs,
# whose runtime already has `custom_hooks`, add the guard themselves.
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

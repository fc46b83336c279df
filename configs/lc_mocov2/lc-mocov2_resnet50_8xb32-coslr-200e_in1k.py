# LC-MoCo v2 on ImageNet (beyond the paper, which adds LC-loss to BYOL and
# DINO; not measured): mmpretrain's MoCo v2 recipe (ResNet-50, SGD lr 0.03 at
# 8 x 32 images, cosine, 200 epochs, queue of 65536) with LC-BYOL's views
# (Ic, Isc) and the local branch. The query encoder sees Isc (view 1), the key
# encoder Ic (view 0), whose pass then also gives the local loss its target.
_base_ = [
    'mmpretrain::mocov2/mocov2_resnet50_8xb32-coslr-200e_in1k.py',
    '../_base_/datasets/lc-byol_views_in1k.py',
    '../_base_/models/local-branch_resnet50.py',
]
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)

model = dict(
    type='LCMoCoV2', global_views=(1, 0), local_branch={{_base_.local_branch}})
# `_delete_` drops the `_scope_` that the mmpretrain:: base puts on collate_fn
train_dataloader = dict(
    sampler=dict(type='ResumableSampler', shuffle=True),
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline={{_base_.lc_train_pipeline}}))
default_hooks = dict(
    checkpoint=dict(type='ResumableCheckpointHook'),
    nonfinite_guard=dict(type='NonFiniteLossGuardHook'))

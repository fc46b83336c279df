# BYOL baseline with LC-BYOL's views (Ic, Isc; the geometry is ignored), its
# target momentum (0.996 -> 1), AMP and LARS schedule: a like-for-like
# comparison that differs from LC-BYOL only by the local loss.
_base_ = [
    'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py',
    '../_base_/datasets/lc-byol_views_in1k.py',
]
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)

model = dict(base_momentum=0.004)
# `_delete_` drops the `_scope_` that the mmpretrain:: base puts on collate_fn:
# mmengine passes every key of that dict to the collate function.
# ResumableSampler + ResumableCheckpointHook: atomic checkpoints that carry the
# random generator states, and a resume that continues the data order without
# reloading the data already seen (docs/reliability.md).
train_dataloader = dict(
    batch_size=256,
    sampler=dict(type='ResumableSampler', shuffle=True),
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline={{_base_.lc_train_pipeline}}))
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(type='LARS', lr=4.8, momentum=0.9, weight_decay=1e-6))
max_epochs = 300
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=10,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - 10,
        by_epoch=True,
        begin=10,
        end=max_epochs,
        convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=4096)
default_hooks = dict(checkpoint=dict(type='ResumableCheckpointHook'))

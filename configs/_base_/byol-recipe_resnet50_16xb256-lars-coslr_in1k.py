# The paper's pretraining recipe (Sec. 4.1) around mmpretrain's BYOL config,
# shared by the BYOL baselines and LC-BYOL so that they differ only by the
# local loss: ResNet-50 on ImageNet, 16 GPUs x 256 images, LC-BYOL's two views
# (BYOL ignores their geometry), target momentum 0.996 -> 1, LARS lr
# 0.3 x 4096 / 256 = 4.8, momentum 0.9, weight decay 1e-6, fp16 AMP,
# 10 warm-up epochs then cosine to the end of training.
# From mmpretrain's config: the global branch (ResNet-50, projector,
# predictor, loss), the LARS param groups (bias and BN excluded from weight
# decay and LARS adaptation), the ImageNet dataset and the runtime.
# A config sets its length with `train_cfg = dict(max_epochs=N)` alone: the
# cosine phase gives no `end` (nor `T_max`), and mmengine's Runner ends a
# scheduler without one at the train loop's max_epochs.
_base_ = [
    'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py',
    './datasets/lc-byol_views_in1k.py',
]
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)

# mmpretrain's CosineEMA weights the online network by `base_momentum`:
# 1 - 0.996 = 0.004.
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
warmup_epochs = 10
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        begin=warmup_epochs,
        convert_to_iter_based=True),
]
# --auto-scale-lr: lr x (GPUs x batch per GPU) / 4096 (linear scaling rule)
auto_scale_lr = dict(base_batch_size=4096)
default_hooks = dict(
    checkpoint=dict(type='ResumableCheckpointHook'),
    nonfinite_guard=dict(type='NonFiniteLossGuardHook'))

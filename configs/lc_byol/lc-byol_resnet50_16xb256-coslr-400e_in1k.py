# The paper's main setting (Sec. 4.1): ResNet-50 LC-BYOL on ImageNet, 224 px,
# 16 GPUs x 256 images, LARS lr 0.3 x 4096 / 256 = 4.8, momentum 0.9, weight
# decay 1e-6, 10 warm-up epochs then cosine, fp16 AMP, alpha 0.1, 400 epochs.
# From mmpretrain's BYOL config: the global branch (ResNet-50, projector,
# predictor, loss), the LARS param groups (bias and BN excluded from weight
# decay and LARS adaptation), the ImageNet dataset and the runtime.
_base_ = [
    'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py',
    '../_base_/datasets/lc-byol_views_in1k.py',
]
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)

model = dict(
    type='LCBYOL',
    # BYOL's target momentum 0.996 -> 1: mmpretrain's CosineEMA weights the
    # online network by `base_momentum`, so 1 - 0.996 = 0.004.
    base_momentum=0.004,
    alpha=0.1,
    global_views=(0, 1),  # L_G on the pair (Ic, Isc), the paper's Fig. 2
    local_views=(0, 1),  # L_LC: target network on Ic, online network on Isc
    local_neck=dict(
        type='LocalProjectionNeck',
        in_channels=2048,
        hid_channels=2048,
        out_channels=256,
        with_relu=True,
        norm_cfg=dict(type='SyncBN')),
    local_head=dict(
        type='LCHead',
        # tau is not given in the paper. 0.2 is the temperature of the dense
        # contrastive methods of the same period (DenseCL, MoCo v2) and keeps
        # the 49-way softmax of the 7 x 7 grid away from saturation early in
        # training; the `_tau-*` configs try 0.07, 0.1 and 0.5.
        loss=dict(type='LocalContrastiveLoss', temperature=0.2)))

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
max_epochs = 400
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
        T_max=max_epochs - warmup_epochs,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=max_epochs)
# --auto-scale-lr: lr x (GPUs x batch per GPU) / 4096 (linear scaling rule)
auto_scale_lr = dict(base_batch_size=4096)
default_hooks = dict(checkpoint=dict(type='ResumableCheckpointHook'))

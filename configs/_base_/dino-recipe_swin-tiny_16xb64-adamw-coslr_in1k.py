# The paper's App. B pretraining recipe around DINO, shared by DINO and
# LC-DINO so that they differ only by the local loss: Swin-T on ImageNet,
# 16 GPUs x 64 images, the main paper's two views (Ic, Isc; DINO ignores their
# geometry), AdamW with base lr 5e-4 per 256 images (2e-3 at 1,024) and weight
# decay 0.04. From DINO's own recipe, which App. B does not restate: 10
# warm-up epochs then cosine to 1e-6, no weight decay on norms and biases,
# gradient clipping at norm 3, fp16 AMP, the teacher temperature warmed up
# from 0.04 to 0.07 over 30 epochs and the last layer frozen in the first
# epoch. A config sets its length with `train_cfg = dict(max_epochs=N)`.
_base_ = [
    'mmpretrain::_base_/datasets/imagenet_bs32_byol.py',
    'mmpretrain::_base_/default_runtime.py',
    './models/dino_swin-tiny.py',
    './datasets/lc-byol_views_in1k.py',
]
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)

# `_delete_` drops the `_scope_` that the mmpretrain:: base puts on collate_fn
train_dataloader = dict(
    batch_size=64,
    sampler=dict(type='ResumableSampler', shuffle=True),
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline={{_base_.lc_train_pipeline}}))

optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=0.04),
    clip_grad=dict(max_norm=3.0),
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0))
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
        eta_min=1e-6,
        by_epoch=True,
        begin=warmup_epochs,
        convert_to_iter_based=True),
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=300)
custom_hooks = [
    dict(
        type='DINOScheduleHook',
        warmup_teacher_temp=0.04,
        teacher_temp=0.07,
        warmup=30,
        freeze_last_layer=1,
        by_epoch=True)
]
# the frozen last layer gets no gradient in the first epoch
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
# --auto-scale-lr: lr x (GPUs x batch per GPU) / 1024 (linear scaling rule)
auto_scale_lr = dict(base_batch_size=1024)
default_hooks = dict(
    checkpoint=dict(type='ResumableCheckpointHook'),
    nonfinite_guard=dict(type='NonFiniteLossGuardHook'))

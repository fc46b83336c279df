# Cityscapes UperNet Swin-T, 40k iterations (paper App. B, Table 14): the VOC
# Swin-T UperNet's model and optimiser (AdamW lr 6e-5, weight decay 0.01) on
# mmseg's UperNet Cityscapes config (512 x 1024 crops, 4 GPUs x 2 images).
_base_ = [
    'mmseg::upernet/upernet_r50_4xb2-40k_cityscapes-512x1024.py',
    '../_base_/pretrained_swin-tiny.py',
]

model = dict(
    pretrained=None,
    backbone={{_base_.swin_tiny_seg}},
    decode_head=dict(in_channels={{_base_.swin_tiny_channels}}),
    auxiliary_head=dict(in_channels=384))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=6e-5, betas=(0.9, 0.999), weight_decay=0.01),
    paramwise_cfg={{_base_.swin_paramwise_cfg}})
max_iters = 40000
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=1.0,
        begin=1500,
        end=max_iters,
        by_epoch=False)
]

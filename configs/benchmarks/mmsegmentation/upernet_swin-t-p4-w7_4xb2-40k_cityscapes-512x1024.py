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
optim_wrapper = {{_base_.seg_optim_wrapper}}
param_scheduler = {{_base_.seg_param_scheduler}}

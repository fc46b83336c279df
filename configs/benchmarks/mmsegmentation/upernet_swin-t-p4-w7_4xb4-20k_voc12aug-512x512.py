# PASCAL VOC aug UperNet Swin-T, 20k iterations (paper App. B, Table 14):
# mmseg's UperNet VOC config with the converted Swin-T in place of the
# ResNet-50 (mmseg's Swin-T UperNet settings: stochastic depth 0.3, 1,500
# warm-up iterations then poly decay) and App. B's optimiser, AdamW lr 6e-5
# and weight decay 0.01.
_base_ = [
    'mmseg::upernet/upernet_r50_4xb4-20k_voc12aug-512x512.py',
    '../_base_/pretrained_swin-tiny.py',
]

model = dict(
    pretrained=None,
    backbone={{_base_.swin_tiny_seg}},
    decode_head=dict(in_channels={{_base_.swin_tiny_channels}}),
    auxiliary_head=dict(in_channels=384))
optim_wrapper = {{_base_.seg_optim_wrapper}}
param_scheduler = {{_base_.seg_param_scheduler}}

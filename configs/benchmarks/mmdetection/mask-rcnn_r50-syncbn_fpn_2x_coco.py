# Mask R-CNN R50-FPN 2x (Table 10), full fine-tuning with SyncBN.
_base_ = [
    'mmdet::mask_rcnn/mask-rcnn_r50_fpn_2x_coco.py',
    '../_base_/pretrained_resnet50.py',
]

model = dict(
    backbone={{_base_.finetune_resnet50}},
    neck=dict(norm_cfg=dict(type='SyncBN', requires_grad=True)))

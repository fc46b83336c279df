# COCO detection and instance segmentation, Mask R-CNN R50-FPN 1x (Tables 1,
# 11), full fine-tuning with SyncBN in the backbone and FPN.
_base_ = [
    'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py',
    '../_base_/pretrained_resnet50.py',
]

model = dict(
    backbone={{_base_.finetune_resnet50}},
    neck=dict(norm_cfg=dict(type='SyncBN', requires_grad=True)))

# Frozen backbone: COCO Mask R-CNN R50-FPN 1x, only FPN and heads trained.
_base_ = [
    'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py',
    '../_base_/pretrained_resnet50.py',
]

model = dict(backbone={{_base_.frozen_resnet50}})

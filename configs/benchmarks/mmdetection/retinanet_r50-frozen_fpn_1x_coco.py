# Frozen backbone (Table 4): COCO RetinaNet R50-FPN 1x, only FPN and head
# trained.
_base_ = [
    'mmdet::retinanet/retinanet_r50_fpn_1x_coco.py',
    '../_base_/pretrained_resnet50.py',
]

model = dict(backbone={{_base_.frozen_resnet50}})

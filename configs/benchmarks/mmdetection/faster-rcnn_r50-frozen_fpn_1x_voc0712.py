# Frozen backbone (Table 4): VOC Faster R-CNN R50-FPN, only FPN and heads
# trained.
_base_ = [
    'mmdet::pascal_voc/faster-rcnn_r50_fpn_1x_voc0712.py',
    '../_base_/pretrained_resnet50.py',
    '../_base_/voc0712_ap.py',
]

model = dict(backbone={{_base_.frozen_resnet50}})
val_evaluator = dict(iou_thrs={{_base_.voc_iou_thrs}})
test_evaluator = val_evaluator

# PASCAL VOC detection, Faster R-CNN R50-FPN on trainval07+12, evaluated on
# test07 (Tables 2, 12); full fine-tuning with SyncBN in the backbone and FPN.
_base_ = [
    'mmdet::pascal_voc/faster-rcnn_r50_fpn_1x_voc0712.py',
    '../_base_/pretrained_resnet50.py',
    '../_base_/voc0712_ap.py',
]

model = dict(
    backbone={{_base_.finetune_resnet50}},
    neck=dict(norm_cfg=dict(type='SyncBN', requires_grad=True)))
val_evaluator = dict(iou_thrs={{_base_.voc_iou_thrs}})
test_evaluator = val_evaluator

# PASCAL VOC Faster R-CNN Swin-T FPN (paper App. B, Table 14): mmdet's VOC
# Faster R-CNN (trainval07+12, test07, 4 epochs of the 3 x repeated set) with
# the converted Swin-T in place of the ResNet-50 and App. B's optimiser, AdamW
# lr 1e-4 and weight decay 0.05 at 8 GPUs x 2 images.
_base_ = [
    'mmdet::pascal_voc/faster-rcnn_r50_fpn_1x_voc0712.py',
    '../_base_/pretrained_swin-tiny.py',
    '../_base_/voc0712_ap.py',
]

model = dict(
    backbone={{_base_.swin_tiny}},
    neck=dict(in_channels={{_base_.swin_tiny_channels}}))
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=1e-4,
        betas=(0.9, 0.999),
        weight_decay=0.05),
    paramwise_cfg={{_base_.swin_paramwise_cfg}})
val_evaluator = dict(iou_thrs={{_base_.voc_iou_thrs}})
test_evaluator = val_evaluator

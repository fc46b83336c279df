# COCO Mask R-CNN Swin-T FPN 1x (paper App. B, Table 14): mmdet's Swin-T
# config, the backbone from a converted DINO / LC-DINO checkpoint, AdamW lr
# 1e-4 and weight decay 0.05 at 8 GPUs x 2 images (mmdet's own settings,
# which App. B states).
_base_ = [
    'mmdet::swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py',
    '../_base_/pretrained_swin-tiny.py',
]

model = dict(backbone={{_base_.swin_tiny}})

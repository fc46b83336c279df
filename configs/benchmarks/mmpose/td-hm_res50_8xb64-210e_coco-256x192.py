# COCO keypoints, top-down heatmap ResNet-50 at 256 x 192 (the keypoint task
# of the paper's Tables 8 and 13, through mmpose instead of detectron2's
# Keypoint R-CNN): mmpose's config, full fine-tuning from the converted
# backbone (mmpose's ResNet has torchvision's names, which the converter
# writes), mmpose's BN, schedule and evaluation (COCO keypoint AP with
# mmpose's person detections on val2017).
_base_ = [
    'mmpose::body_2d_keypoint/topdown_heatmap/coco/'
    'td-hm_res50_8xb64-210e_coco-256x192.py',
    '../_base_/resnet50_backbones.py',
]
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)
# mmpose's runtime hook, and the guard that stops a run whose backbone is not
# fully loaded
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='PretrainedBackboneCheckHook')
]

model = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=None)))

# COCO keypoints with a frozen backbone: the top-down heatmap benchmark with
# the stem and all four stages frozen and BN in eval mode (the frozen
# protocol of the detection and segmentation benchmarks); only mmpose's
# heatmap head (deconvolutions and the final 1 x 1) trains.
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

model = dict(backbone={{_base_.frozen_resnet50}})

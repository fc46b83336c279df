# COCO keypoints with a frozen backbone: the top-down heatmap benchmark with
# the stem and all four stages frozen and BN in eval mode (the frozen
# protocol of the detection and segmentation benchmarks); only mmpose's
# heatmap head (deconvolutions and the final 1 x 1) trains.
_base_ = './td-hm_res50_8xb64-210e_coco-256x192.py'

model = dict(backbone={{_base_.frozen_resnet50}})

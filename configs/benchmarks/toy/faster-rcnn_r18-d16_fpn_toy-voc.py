# The toy detection benchmark with the backbone exactly as the toy recipe
# pretrained it: layer4 keeps stride 16 (stride 1, dilation 2), as in
# configs/_base_/models/resnet18-d16_toy.py and the frozen FCN. The stride-32
# benchmark (its base) runs the pretrained layer4 weights at stride 2 without
# dilation, a geometry they were not trained at; the toy study's stage
# `detector-stride` measures both. The FPN's P2-P6 are then at strides 4, 8,
# 16, 16 and 32 (P6 pools P5); the anchors keep the base's sizes (scale 8 on
# base sizes 4-64: 32-512 px), so only the anchor spacing of the two coarsest
# levels changes. Toy scale: not a paper number.
_base_ = './faster-rcnn_r18_fpn_toy-voc.py'

fpn_strides = [4, 8, 16, 16, 32]
model = dict(
    backbone=dict(strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2)),
    rpn_head=dict(
        anchor_generator=dict(
            strides=fpn_strides, base_sizes=[4, 8, 16, 32, 64])),
    roi_head=dict(bbox_roi_extractor=dict(featmap_strides=fpn_strides[:4])))

# Multi-scale LC-loss (beyond the paper): LC-loss on C4 (stride 16, 14 x 14 at
# 224 px) and C5 (stride 32, 7 x 7), each with its own local projection neck,
# weighted equally in L_LC. The global BYOL branch still uses C5 only.
# Overhead vs BYOL: docs/performance.md.
_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

model = dict(
    backbone=dict(out_indices=(2, 3)),
    local_branch=dict(
        local_neck=[
            dict(
                type='LocalProjectionNeck',
                in_channels=1024,
                hid_channels=1024,
                out_channels=256,
                in_index=0,
                norm_cfg=dict(type='SyncBN')),
            dict(
                type='LocalProjectionNeck',
                in_channels=2048,
                hid_channels=2048,
                out_channels=256,
                in_index=1,
                norm_cfg=dict(type='SyncBN')),
        ],
        local_weights=(0.5, 0.5)))

# The paper's main setting (Sec. 4.1): ResNet-50 LC-BYOL on ImageNet, 224 px,
# 16 GPUs x 256 images, 400 epochs, alpha 0.1: the shared recipe (views, LARS,
# warm-up + cosine, AMP, momentum; see the base) plus the local branch.
_base_ = '../_base_/byol-recipe_resnet50_16xb256-lars-coslr_in1k.py'

model = dict(
    type='LCBYOL',
    alpha=0.1,
    global_views=(0, 1),  # L_G on the pair (Ic, Isc), the paper's Fig. 2
    local_views=(0, 1),  # L_LC: target network on Ic, online network on Isc
    local_neck=dict(
        type='LocalProjectionNeck',
        in_channels=2048,
        hid_channels=2048,
        out_channels=256,
        with_relu=True,
        norm_cfg=dict(type='SyncBN')),
    local_head=dict(
        type='LCHead',
        # tau is not given in the paper. 0.2 is the temperature of the dense
        # contrastive methods of the same period (DenseCL, MoCo v2) and keeps
        # the 49-way softmax of the 7 x 7 grid away from saturation early in
        # training; the `_tau-*` configs try 0.07, 0.1 and 0.5.
        loss=dict(type='LocalContrastiveLoss', temperature=0.2)))

train_cfg = dict(max_epochs=400)

# DINO (Caron et al. 2021) with a Swin-T backbone, as in the paper's App. B:
# mmpretrain's Swin-T (224 px, stochastic depth 0.1, final stage 7 x 7 x 768),
# DINO's projection head (3-layer MLP 2048 wide, 256-d bottleneck, L2
# normalisation, weight-normalised last layer onto K = 65536 prototypes with
# its norm fixed), student temperature 0.1, centre momentum 0.9, and the
# teacher an EMA of the student with momentum 0.996 -> 1 (cosine; mmpretrain's
# CosineEMA weights the student by 1 - 0.996 = 0.004). The teacher
# temperature's warm-up and the frozen last layer are DINOScheduleHook's (the
# recipe's custom_hooks).
model = dict(
    type='DINO',
    teacher_views=(0, 1),
    base_momentum=0.004,
    data_preprocessor=dict(
        type='SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='SwinTransformer',
        arch='tiny',
        img_size=224,
        drop_path_rate=0.1,
        out_indices=(3, )),
    neck=dict(
        type='DINOProjection',
        in_channels=768,
        hid_channels=2048,
        bottleneck_channels=256,
        out_channels=65536,
        num_layers=3,
        norm_last_layer=True),
    head=dict(
        type='DINOHead',
        loss=dict(
            type='DINOLoss',
            out_channels=65536,
            student_temp=0.1,
            center_momentum=0.9)))

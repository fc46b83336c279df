_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

# The other reading of the paper's text: the global BYOL loss on two standard
# random-resized-crop views, the colour-only Ic used by the local loss alone.
# Views: 0 = Ic, 1 and 2 = crops with geometry; the local loss pairs Ic with
# view 1 (Isc, as in the two-view recipe). The two crops keep BYOL's
# asymmetric colour: view 1 blur 0.1 and solarization 0.2, view 2 blur always
# and no solarization (Ic's).
model = dict(global_views=(1, 2), local_branch=dict(local_views=(0, 1)))
view_crop_c = [
    {{_base_.crop_sc}},
    {{_base_.flip_sc}},
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    {{_base_.blur_c}},
    {{_base_.solarize_c}},
]
lc_train_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(
        type='MultiViewWithGeometry',
        num_views=[1, 1, 1],
        transforms=[{{_base_.view_c}}, {{_base_.view_sc}}, view_crop_c]),
    {{_base_.pack_views}},
]
train_dataloader = dict(dataset=dict(pipeline=lc_train_pipeline))

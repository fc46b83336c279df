_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

# The other reading of the paper's text: the global BYOL loss on two standard
# random-resized-crop views, the colour-only Ic used by the local loss alone.
# Views: 0 = Ic, 1 and 2 = crops with geometry; the local loss pairs Ic with
# view 1.
model = dict(global_views=(1, 2), local_branch=dict(local_views=(0, 1)))
lc_train_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(
        type='MultiViewWithGeometry',
        num_views=[1, 2],
        transforms=[{{_base_.view_c}}, {{_base_.view_sc}}]),
    dict(
        type='PackInputs',
        algorithm_keys=['view_boxes', 'view_flips', 'ori_hw']),
]
train_dataloader = dict(dataset=dict(pipeline=lc_train_pipeline))

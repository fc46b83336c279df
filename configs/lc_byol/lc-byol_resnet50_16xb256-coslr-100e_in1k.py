_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

# 100-epoch schedule (paper Sec. 4.5, pretraining length study).
max_epochs = 100
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=10,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - 10,
        by_epoch=True,
        begin=10,
        end=max_epochs,
        convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=max_epochs)

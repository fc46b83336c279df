# Shared by the Swin-T benchmark configs (the paper's App. B, Table 14): the
# pretrained Swin-T backbone as mmdet's and mmseg's Swin build it, AdamW's
# parameter groups of their Swin configs (no weight decay on position tables
# and norms), and the guard that stops a run whose backbone is not fully
# loaded. Only new keys here, so it sits next to an mmdet / mmseg base.
#
# The checkpoint reaches a benchmark as for the ResNets:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
# with PATH written by tools/model_converters/convert_checkpoint.py --to
# openmmlab --backbone-config <the pretraining config> (mmpretrain's Swin
# names, which mmdet's and mmseg's Swin share, under `backbone.`; mmdet's
# `convert_weights` stays off: the converter already wrote these names).
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)
# mmdet's and mmseg's Swin add output norms to stages 1-3 (norm0-norm2) for
# the FPN / UperNet; a pretrained Swin has the last stage's (norm3) only, so
# those three are new and every other backbone tensor is checked
custom_hooks = [
    dict(
        type='PretrainedBackboneCheckHook',
        new_keys=['norm0.', 'norm1.', 'norm2.'])
]
# `_delete_`: a benchmark puts it in place of its base's ResNet as
# `backbone={{_base_.swin_tiny}}` (mmdet's Swin-T, stochastic depth 0.2) or
# `{{_base_.swin_tiny_seg}}` (mmseg's, 0.3)
swin_tiny = dict(
    _delete_=True,
    type='SwinTransformer',
    embed_dims=96,
    depths=[2, 2, 6, 2],
    num_heads=[3, 6, 12, 24],
    window_size=7,
    mlp_ratio=4,
    qkv_bias=True,
    qk_scale=None,
    drop_rate=0.,
    attn_drop_rate=0.,
    drop_path_rate=0.2,
    patch_norm=True,
    out_indices=(0, 1, 2, 3),
    with_cp=False,
    init_cfg=dict(type='Pretrained', checkpoint=None))
swin_tiny_seg = dict(swin_tiny, drop_path_rate=0.3)
swin_tiny_channels = [96, 192, 384, 768]
swin_paramwise_cfg = dict(
    custom_keys={
        'absolute_pos_embed': dict(decay_mult=0.),
        'relative_position_bias_table': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.)
    })
# UperNet Swin-T (App. B): AdamW lr 6e-5, weight decay 0.01, mmseg's Swin
# UperNet schedule (1,500 linear warm-up iterations, then poly decay to the
# train loop's max_iters, where mmengine ends a scheduler without `end`)
seg_optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=6e-5, betas=(0.9, 0.999), weight_decay=0.01),
    paramwise_cfg=swin_paramwise_cfg)
seg_param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=1500, by_epoch=False)
]

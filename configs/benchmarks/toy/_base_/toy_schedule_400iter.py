# The schedule of the toy fine-tuning benchmarks (detection, keypoints), as
# variables only, so that it sits next to an mmdet or mmpose base: 400
# iterations, 40 of linear warm-up, the learning rate divided by 10 at 320,
# one checkpoint at the end, iteration-based logs. A config sets
# `train_cfg = {{_base_.toy_train_cfg}}`,
# `param_scheduler = {{_base_.toy_param_scheduler}}` and
# `log_processor = {{_base_.toy_log_processor}}`.
toy_max_iters = 400
toy_train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=toy_max_iters)
toy_param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=40),
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=toy_max_iters,
        milestones=[320],
        gamma=0.1),
]
toy_log_processor = dict(by_epoch=False)

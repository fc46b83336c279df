# The toy recipe's optimiser: SGD with momentum at batch 32 on one CPU
# process, forward pass in bfloat16 autocast (CPUAutocastOptimWrapper: the
# paper trains in fp16 AMP; bfloat16 takes a step from 3.0 s to 1.8 s on an
# AVX512-BF16 CPU, and the wrapper trains in float32 on a CPU without native
# bfloat16 kernels, docs/performance.md section 5; the local losses run in
# float32), linear warm-up over the first 5 % of the
# iterations, then cosine decay to 0. The learning rate was chosen by a sweep
# on BYOL's own downstream result (docs/toy_study.md, "Learning-rate sweep"),
# so the baseline is not handicapped. Normalisation layers and biases have no
# weight decay, as in BYOL's LARS groups.
max_iters = 600
warmup_iters = 30
optim_wrapper = dict(
    type='CPUAutocastOptimWrapper',
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=warmup_iters),
    dict(
        type='CosineAnnealingLR',
        T_max=max_iters - warmup_iters,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters)
# --auto-scale-lr: lr x (processes x batch per process) / 32
auto_scale_lr = dict(base_batch_size=32)

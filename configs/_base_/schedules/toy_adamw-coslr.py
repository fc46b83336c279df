# The toy recipe's schedule for DINO-style methods on one CPU process: AdamW
# (DINO's weight decay 0.04, none on norms and biases; lr 5e-4 at batch 32,
# DINO's base lr per 256 images without its linear scaling, which would leave
# 6e-5 for a run of a few hundred steps), gradient clipping at norm 3,
# bfloat16 autocast, linear warm-up over the first 5 % of the iterations, then
# cosine decay to 0.
_base_ = './toy_sgd-coslr.py'

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=5e-4, weight_decay=0.04),
    clip_grad=dict(max_norm=3.0))

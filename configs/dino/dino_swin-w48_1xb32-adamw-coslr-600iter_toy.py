# DINO on the toy recipe with a small Swin (8 x 8 final grid at 128 px), the
# toy dataset version 2 and the main paper's views; the baseline of
# LC-DINO's toy config (same views, optimiser, budget). DINO's epoch-based
# schedules counted in iterations: the teacher temperature warms up from
# 0.04 to 0.07 over the first 10 % of the run (30 of 300 epochs) and the last
# layer is frozen for one pass over the 1,600 training scenes (50
# iterations). Toy scale: not the paper's numbers.
_base_ = [
    '../_base_/models/dino_swin-w48_toy.py',
    '../_base_/datasets/toy_lc-byol_views.py',
    '../_base_/schedules/toy_adamw-coslr.py',
    '../_base_/default_runtime_toy.py',
]
custom_hooks = [
    dict(
        type='DINOScheduleHook',
        warmup_teacher_temp=0.04,
        teacher_temp=0.07,
        warmup=60,
        freeze_last_layer=50,
        by_epoch=False)
]
# the frozen last layer gets no gradient in the first iterations (processes
# of tools/dist_train.sh)
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)

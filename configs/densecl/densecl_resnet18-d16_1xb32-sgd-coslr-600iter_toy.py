# The toy recipe (docs/evaluation.md) with densecl as the method: the baseline
# of lc-densecl's toy config, same views (geometry ignored), optimiser and
# budget; only the local branch differs. Toy scale: not the paper's numbers.
_base_ = [
    '../_base_/models/densecl_resnet18-d16_toy.py',
    '../_base_/datasets/toy_lc-byol_views.py',
    '../_base_/schedules/toy_sgd-coslr.py',
    '../_base_/default_runtime_toy.py',
]
# the queue takes whole batches (as mmpretrain's MoCo-family configs)
train_dataloader = dict(drop_last=True)

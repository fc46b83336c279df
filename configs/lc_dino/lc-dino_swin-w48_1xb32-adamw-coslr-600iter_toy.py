# LC-DINO on the toy recipe: the toy DINO config plus the local branch on the
# small Swin's final stage (8 x 8 at 128 px), alpha = 0.5 (App. B). Toy
# scale: not the paper's numbers.
_base_ = [
    '../dino/dino_swin-w48_1xb32-adamw-coslr-600iter_toy.py',
    '../_base_/models/local-branch_swin-w48_toy.py',
]
model = dict(type='LCDINO', local_branch={{_base_.local_branch}})

# LC-DINO with Swin-T on ImageNet, the paper's App. B (Table 14, "DINO(Swin) +
# LC-loss"): the DINO recipe plus the local branch on the final stage
# (7 x 7 at 224 px), alpha = 0.5.
_base_ = [
    '../_base_/dino-recipe_swin-tiny_16xb64-adamw-coslr_in1k.py',
    '../_base_/models/local-branch_swin-tiny.py',
]
model = dict(type='LCDINO', local_branch={{_base_.local_branch}})

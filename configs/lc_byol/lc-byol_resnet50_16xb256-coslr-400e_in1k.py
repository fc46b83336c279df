# The paper's main setting (Sec. 4.1): ResNet-50 LC-BYOL on ImageNet, 224 px,
# 16 GPUs x 256 images, 400 epochs, alpha 0.1: the shared recipe (views, LARS,
# warm-up + cosine, AMP, momentum; see the base) plus the local branch.
_base_ = [
    '../_base_/byol-recipe_resnet50_16xb256-lars-coslr_in1k.py',
    '../_base_/models/local-branch_resnet50.py',
]

model = dict(
    type='LCBYOL',
    global_views=(0, 1),  # L_G on the pair (Ic, Isc), the paper's Fig. 2
    local_branch={{_base_.local_branch}})

train_cfg = dict(max_epochs=400)

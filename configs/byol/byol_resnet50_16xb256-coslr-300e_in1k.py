# BYOL baseline with LC-BYOL's recipe (views Ic, Isc with the geometry
# ignored, target momentum 0.996 -> 1, AMP, LARS schedule): a like-for-like
# comparison that differs from LC-BYOL only by the local loss.
_base_ = '../_base_/byol-recipe_resnet50_16xb256-lars-coslr_in1k.py'

train_cfg = dict(max_epochs=300)

# BYOL baseline, 1000 epochs (paper Table 1 compares against BYOL at 1000
# epochs).
_base_ = './byol_resnet50_16xb256-coslr-300e_in1k.py'

train_cfg = dict(max_epochs=1000)

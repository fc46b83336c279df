_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

# 600-epoch schedule (paper Sec. 4.5, pretraining length study); warm-up and
# cosine follow max_epochs (see the recipe base).
train_cfg = dict(max_epochs=600)

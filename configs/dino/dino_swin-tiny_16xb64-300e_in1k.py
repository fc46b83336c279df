# DINO with Swin-T on ImageNet, the paper's App. B baseline (Table 14,
# "DINO(Swin)"): 16 GPUs x 64 images, 300 epochs, the main paper's views.
_base_ = '../_base_/dino-recipe_swin-tiny_16xb64-adamw-coslr_in1k.py'

# The paper reports VOC detection (Tables 2, 4, 12, 14) as AP, AP50 and AP75:
# AP is the mean over IoU 0.50:0.95, as on COCO. mmdet's VOC config evaluates
# at IoU 0.5 only; with these thresholds its VOCMetric writes their mean as
# `pascal_voc/mAP` (the paper's AP) and each threshold's AP (`pascal_voc/AP50`,
# `pascal_voc/AP75`, ...), still with VOC07's 11-point AP on test07. Only new
# keys here, so it sits next to mmdet's config in `_base_` lists.
voc_iou_thrs = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]

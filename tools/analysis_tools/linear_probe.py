"""Dense linear probe of a frozen backbone on a VOC-style segmentation root.

    python tools/analysis_tools/linear_probe.py CHECKPOINT \
        data/toy/VOCdevkit/VOC2007 --num-classes 7 --img-size 128 \
        --depth 18 --last-stride 1 --last-dilation 2 \
        --out linear_probe.json

Fits a 1 x 1 linear map on the standardised final-stage features of the
``train`` split (logits upsampled bilinearly to the label map, per-pixel
cross-entropy) and reports mmseg-style mIoU on ``val``. CHECKPOINT: any
layout tools/model_converters/convert_checkpoint.py reads, or `random`.
"""
import argparse

from backbone_args import (add_voc_segmentation_arguments, backbone_from_args,
                           segmentation_record)

from mmlc.evaluation.linear_probe import linear_probe_on_voc


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_voc_segmentation_arguments(parser)
    parser.add_argument('--epochs', type=int, default=30)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    result = linear_probe_on_voc(
        backbone_from_args(args),
        args.voc_root,
        args.num_classes,
        img_size=args.img_size,
        epochs=args.epochs,
        seed=args.seed)
    record = segmentation_record(args, 'linear-probe', result)
    metrics = record['metrics']
    print(f'linear probe mIoU {metrics["mIoU"]:.1f} (aAcc '
          f'{metrics["aAcc"]:.1f}) on '
          f'{result["num_val"]} images, grid {result["grid"]}')
    return record


if __name__ == '__main__':
    main()

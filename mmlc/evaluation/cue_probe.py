"""What a frozen backbone knows about each object: linear probes of
object-pooled features for the object's shape, texture and colour.

On the toy data (version 2) an object's class is its shape, while its colour
and texture are drawn per instance from pools shared by every class
(:func:`mmlc.datasets.toy_scenes` regenerates them with those draws). A
self-supervised network that learns to tell images apart may rely on any cue
that survives its augmentations; probing each cue separately says which ones
its features carry, and so whether pretraining learned *something* even where
the shape-based evaluations show nothing.

Each object's feature is the average of the final-stage map weighted by the
share of every cell covered by the object's visible mask; a multinomial
logistic regression (scikit-learn, standardised features) is fitted on the
objects of the training scenes and scored on those of the validation scenes.

:func:`scene_similarity` asks the complementary question: how much of an
object's feature is about the scene around it rather than the object. Two
objects of one scene share the background and nothing else (their shapes and
paints are drawn independently), so features that describe objects make them
no more alike than two objects of different scenes.
"""
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmlc.datasets.toy import COLOUR_POOL, TEXTURE_POOL, TOY_CLASSES, ToyScene
from .backbone import normalise

# cue name -> (attribute of ToyInstance, number of values)
OBJECT_CUES = {
    'shape': ('label', len(TOY_CLASSES)),
    'texture': ('texture', len(TEXTURE_POOL)),
    'colour': ('colour', len(COLOUR_POOL)),
}


def pool_by_masks(features: Tensor, masks: Tensor) -> Tensor:
    """Average a feature map over each mask, weighting every cell by the share
    of it the mask covers.

    Args:
        features (Tensor): [C, h, w] one image's feature map.
        masks (Tensor): [K, H, W] bool masks at image resolution (H, W
            multiples of h, w).

    Returns:
        Tensor: [K, C] one pooled feature per mask (zeros for an empty one).
    """
    cover = F.adaptive_avg_pool2d(masks[:, None].to(features.dtype),
                                  features.shape[-2:])[:, 0]
    weights = cover.flatten(1)
    weights = weights / weights.sum(1, keepdim=True).clamp(min=1e-12)
    return weights @ features.flatten(1).t()


@torch.no_grad()
def object_features(backbone: nn.Module,
                    scenes: Sequence[ToyScene],
                    batch_size: int = 32) -> Tuple[np.ndarray, Dict]:
    """Mask-pooled final-stage features of every object of ``scenes``.

    Returns:
        tuple: [N, C] float32 features and ``{cue: [N] int labels}`` for
        every cue of :data:`OBJECT_CUES`.
    """
    backbone.eval()
    pooled: List[Tensor] = []
    for start in range(0, len(scenes), batch_size):
        batch = scenes[start:start + batch_size]
        images = torch.from_numpy(np.stack([s.image for s in batch]))
        maps = backbone(normalise(images.permute(0, 3, 1, 2)))[-1].float()
        for scene, feature_map in zip(batch, maps):
            masks = torch.from_numpy(
                np.stack([inst.mask for inst in scene.instances]))
            pooled.append(pool_by_masks(feature_map, masks))
    instances = [inst for scene in scenes for inst in scene.instances]
    labels = {
        cue: np.asarray([getattr(inst, attribute) for inst in instances])
        for cue, (attribute, _) in OBJECT_CUES.items()
    }
    return torch.cat(pooled).numpy(), labels


def fit_cue_probes(train_x: np.ndarray,
                   train_labels: Dict[str, np.ndarray],
                   val_x: np.ndarray,
                   val_labels: Dict[str, np.ndarray],
                   C: float = 1.0) -> Dict[str, Dict[str, float]]:
    """One linear probe per cue: standardised features, multinomial logistic
    regression (scikit-learn), fitted on the training objects and scored on
    the validation ones.

    Args:
        train_x, val_x (np.ndarray): [N, C] object features.
        train_labels, val_labels (dict): ``{cue: [N] int}`` for every cue of
            :data:`OBJECT_CUES`.
        C (float): inverse L2 regularisation of the logistic regression.

    Returns:
        dict: ``{cue: {'accuracy', 'chance', 'majority'}}`` in %, where chance
        is 1 / number of values and majority the share of the most frequent
        value among the validation objects.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    results = {}
    for cue, (_, num_values) in OBJECT_CUES.items():
        probe = make_pipeline(StandardScaler(),
                              LogisticRegression(C=C, max_iter=2000))
        probe.fit(train_x, train_labels[cue])
        predicted = probe.predict(val_x)
        counts = np.bincount(val_labels[cue], minlength=num_values)
        results[cue] = dict(
            accuracy=100 * float((predicted == val_labels[cue]).mean()),
            chance=100 / num_values,
            majority=100 * float(counts.max() / counts.sum()))
    return results


def scene_similarity(features: np.ndarray,
                     scene_index: np.ndarray) -> Dict[str, float]:
    """Mean cosine similarity of the centred features of two different objects
    of one scene, and of two objects of different scenes.

    Args:
        features (np.ndarray): [N, C] one feature per object.
        scene_index (np.ndarray): [N] the scene each object belongs to.

    Returns:
        dict: ``same_scene`` and ``other_scenes``, in [-1, 1]; the features
        are centred (their mean over the N objects removed) first, so
        features that ignore the scene give about 0 for both.
    """
    centred = features - features.mean(0, keepdims=True)
    unit = centred / np.linalg.norm(centred, axis=1, keepdims=True).clip(1e-12)
    cosine = unit @ unit.T
    same = scene_index[:, None] == scene_index[None, :]
    np.fill_diagonal(same, False)
    other = scene_index[:, None] != scene_index[None, :]
    return dict(
        same_scene=float(cosine[same].mean()),
        other_scenes=float(cosine[other].mean()))

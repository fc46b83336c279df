"""Few-shot classification with frozen features (paper Table 7, Table 16)."""
import math
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from .backbone import final_stage_features
from .images import list_images


@dataclass
class Episode:
    """One N-way K-shot episode: indices into the feature array and episode
    labels."""
    support: np.ndarray
    support_labels: np.ndarray
    query: np.ndarray
    query_labels: np.ndarray


def image_folder(root: str) -> Tuple[List[str], np.ndarray, List[str]]:
    """An image-folder dataset (one sub-folder per class) -> paths, labels,
    class names."""

    classes = sorted(
        d for d in os.listdir(root) if osp.isdir(osp.join(root, d)))
    if len(classes) < 2:
        raise ValueError(
            f'{root}: a few-shot dataset needs one folder per class (found '
            f'{len(classes)})')
    paths, labels = [], []
    for label, name in enumerate(classes):
        files = list_images(osp.join(root, name))
        paths.extend(files)
        labels.extend([label] * len(files))
    return paths, np.asarray(labels), classes


def extract_features(backbone: torch.nn.Module,
                     paths: Sequence[str],
                     img_size: int = 224,
                     device: str = 'cpu',
                     batch_size: int = 32,
                     progress: bool = True) -> np.ndarray:
    """Global-average-pooled, L2-normalised final-stage features, [N, C]
    float32."""
    chunks = [
        F.normalize(feats.mean(dim=(2, 3)), dim=1).cpu().numpy()
        for feats in final_stage_features(backbone, paths, img_size, device,
                                          batch_size, progress)
    ]
    return np.concatenate(chunks).astype(np.float32)


def sample_episodes(labels: np.ndarray,
                    n_way: int = 5,
                    k_shot: int = 5,
                    n_query: int = 15,
                    n_episodes: int = 600,
                    seed: int = 0) -> List[Episode]:
    """Draw episodes; support and query images of an episode never overlap.

    Raises:
        ValueError: fewer than ``n_way`` classes with ``k_shot + n_query``
        images.
    """
    rng = np.random.default_rng(seed)
    by_class = {c: np.flatnonzero(labels == c) for c in np.unique(labels)}
    eligible = sorted(c for c, idx in by_class.items()
                      if len(idx) >= k_shot + n_query)
    if len(eligible) < n_way:
        raise ValueError(
            f'{n_way}-way {k_shot}-shot with {n_query} queries needs {n_way} '
            f'classes of >= {k_shot + n_query} images; found {len(eligible)}')
    episodes = []
    for _ in range(n_episodes):
        classes = rng.choice(eligible, size=n_way, replace=False)
        support, query, s_labels, q_labels = [], [], [], []
        for episode_label, cls in enumerate(classes):
            chosen = rng.choice(
                by_class[cls], size=k_shot + n_query, replace=False)
            support.extend(chosen[:k_shot])
            query.extend(chosen[k_shot:])
            s_labels.extend([episode_label] * k_shot)
            q_labels.extend([episode_label] * n_query)
        episodes.append(
            Episode(
                np.asarray(support), np.asarray(s_labels), np.asarray(query),
                np.asarray(q_labels)))
    return episodes


def evaluate_episodes(features: np.ndarray,
                      episodes: Sequence[Episode],
                      C: float = 1.0) -> np.ndarray:
    """Logistic regression per episode (scikit-learn); query accuracy of each
    episode."""
    from sklearn.linear_model import LogisticRegression
    accuracies = []
    for episode in episodes:
        classifier = LogisticRegression(C=C, max_iter=1000)
        classifier.fit(features[episode.support], episode.support_labels)
        predicted = classifier.predict(features[episode.query])
        accuracies.append(float((predicted == episode.query_labels).mean()))
    return np.asarray(accuracies)


def mean_and_ci95(accuracies: np.ndarray) -> Tuple[float, float]:
    """Mean and the half-width of its 95% confidence interval (normal
    approximation)."""
    if len(accuracies) < 2:
        return float(np.mean(accuracies)), float('nan')
    return (float(np.mean(accuracies)),
            float(1.96 * np.std(accuracies, ddof=1) /
                  math.sqrt(len(accuracies))))


def fewshot_summary(accuracies: np.ndarray, n_way: int, k_shot: int,
                    n_query: int, seed: int) -> Dict:
    mean, ci95 = mean_and_ci95(accuracies)
    return dict(
        accuracy=mean,
        ci95=ci95,
        episodes=len(accuracies),
        n_way=n_way,
        k_shot=k_shot,
        n_query=n_query,
        seed=seed)

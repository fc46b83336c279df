"""Colour is not a shortcut to the class in the toy dataset (version 2).

A multinomial logistic-regression probe reads each object's colour statistics
(mean RGB and a per-channel histogram of its visible pixels). On the generated
objects it must stay near chance; on the same objects recoloured by class (the
control, built here) it must find the class, which shows that the probe sees a
colour shortcut when there is one.
"""
import numpy as np
import pytest
import torch

from mmlc.datasets import TOY_CLASSES, make_scene

NUM_SCENES = 500
HIST_BINS = 8
CHANCE = 1 / len(TOY_CLASSES)


def colour_features(pixels: np.ndarray) -> np.ndarray:
    """Mean RGB and a normalised per-channel histogram of uint8 pixels [N,
    3]."""
    hist = [
        np.histogram(pixels[:, c], bins=HIST_BINS, range=(0, 256))[0] /
        len(pixels) for c in range(3)
    ]
    return np.concatenate([pixels.mean(axis=0) / 255, *hist])


def probe_accuracy(features: np.ndarray,
                   labels: np.ndarray,
                   train_fraction: float = 0.7,
                   weight_decay: float = 1e-3) -> float:
    """Held-out accuracy of softmax regression (standardised inputs, L2,
    LBFGS)."""
    split = int(len(labels) * train_fraction)
    x = torch.as_tensor(features, dtype=torch.float64)
    mean, std = x[:split].mean(0), x[:split].std(0) + 1e-6
    x = (x - mean) / std
    y = torch.as_tensor(labels)
    linear = torch.nn.Linear(x.shape[1], len(TOY_CLASSES)).double()
    optimiser = torch.optim.LBFGS(
        linear.parameters(), max_iter=500, line_search_fn='strong_wolfe')

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(linear(x[:split]), y[:split])
        loss = loss + weight_decay * linear.weight.pow(2).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        return (linear(
            x[split:]).argmax(1) == y[split:]).double().mean().item()


@pytest.fixture(scope='module')
def objects():
    """(pixels of each visible object [N_i, 3], its luminance [N_i], label)
    triples."""
    records = []
    for index in range(NUM_SCENES):
        scene = make_scene(np.random.default_rng([123, index]), (96, 96))
        for inst in scene.instances:
            pixels = scene.image[inst.mask].astype(np.float64)
            records.append(
                (pixels, pixels @ np.array([0.299, 0.587, 0.114]), inst.label))
    return records


def test_colour_predicts_the_class_at_most_at_one_and_a_half_times_chance(
        objects):
    features = np.stack([colour_features(pixels) for pixels, _, _ in objects])
    labels = np.array([label for _, _, label in objects])
    assert len(labels) > 800 and set(labels.tolist()) == set(
        range(len(TOY_CLASSES)))
    accuracy = probe_accuracy(features, labels)
    assert accuracy <= 1.5 * CHANCE, f'colour probe accuracy {accuracy:.3f}'


def test_the_probe_finds_a_colour_shortcut_when_recoloured_by_class(objects):
    rng = np.random.default_rng(0)
    class_colours = rng.uniform(0.2, 1.0, size=(len(TOY_CLASSES), 3))
    features, labels = [], []
    for _, luminance, label in objects:
        # keep each object's own brightness pattern (texture, shading), swap
        # its hue
        recoloured = np.clip(luminance[:, None] * class_colours[label] * 1.5,
                             0, 255)
        features.append(colour_features(recoloured))
        labels.append(label)
    accuracy = probe_accuracy(np.stack(features), np.array(labels))
    assert accuracy >= 0.9, f'control probe accuracy {accuracy:.3f}'

"""Few-shot protocol: separable features, random labels, seeds, disjoint
episodes."""
import numpy as np
import pytest

from mmlc.evaluation import evaluate_episodes, mean_and_ci95, sample_episodes


def test_episodes_are_reproducible_and_support_query_disjoint():
    labels = np.repeat(np.arange(8), 25)
    a = sample_episodes(labels, 5, 5, 15, n_episodes=30, seed=3)
    b = sample_episodes(labels, 5, 5, 15, n_episodes=30, seed=3)
    c = sample_episodes(labels, 5, 5, 15, n_episodes=30, seed=4)
    for x, y in zip(a, b):
        assert np.array_equal(x.support, y.support) and np.array_equal(
            x.query, y.query)
    assert any(not np.array_equal(x.support, z.support) for x, z in zip(a, c))
    for episode in a:
        assert len(episode.support) == 25 and len(episode.query) == 75
        assert not set(episode.support) & set(episode.query)
        assert len(set(episode.support)) == 25 and len(set(
            episode.query)) == 75
        # episode labels agree with the true classes
        for indices, ep_labels in ((episode.support, episode.support_labels),
                                   (episode.query, episode.query_labels)):
            mapping = {}
            for index, ep_label in zip(indices, ep_labels):
                assert mapping.setdefault(ep_label,
                                          labels[index]) == labels[index]


def test_separable_features_give_100_percent():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(6), 20)
    centres = np.eye(6) * 10
    features = centres[labels] + rng.normal(0, 0.1, size=(len(labels), 6))
    accuracies = evaluate_episodes(
        features, sample_episodes(labels, 5, 5, 15, 20, seed=0))
    assert accuracies.min() == 1.0


def test_random_labels_give_chance():
    rng = np.random.default_rng(1)
    labels = rng.permutation(np.repeat(np.arange(10), 20))
    features = rng.normal(size=(len(labels), 16))
    accuracies = evaluate_episodes(
        features, sample_episodes(labels, 5, 5, 15, 100, seed=0))
    mean, ci95 = mean_and_ci95(accuracies)
    assert abs(mean - 0.2) < 0.04
    assert 0 < ci95 < 0.05


def test_too_few_images_is_a_clear_error():
    with pytest.raises(ValueError, match='5-way 5-shot'):
        sample_episodes(np.repeat(np.arange(5), 10), 5, 5, 15, 1)

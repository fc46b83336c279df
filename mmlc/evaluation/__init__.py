"""Evaluation beyond detection numbers: correspondence, few-shot, result
tables."""
from .backbone import load_backbone, load_resnet
from .collect import (aggregate_tables, load_results, results_table, to_csv,
                      to_markdown)
from .colour_shortcut import colour_histograms, pair_retrieval_accuracy
from .correspondence import (correspondence_record, evaluate_correspondence,
                             flip_correspondence_accuracy, flip_ground_truth,
                             match_cells, view_correspondence_accuracy)
from .feature_rank import dense_feature_rank, effective_rank, variance_shares
from .fewshot import (evaluate_episodes, extract_features, fewshot_summary,
                      image_folder, mean_and_ci95, sample_episodes)
from .filter_bank import (filter_bank_summary, patch_principal_directions,
                          subspace_share)
from .metrics import CorrespondenceAccuracy
from .weight_movement import (backbone_movement, norm_movement, stage_movement,
                              weight_movement)

__all__ = [
    'CorrespondenceAccuracy', 'view_correspondence_accuracy',
    'aggregate_tables', 'load_backbone', 'load_resnet', 'load_results',
    'results_table', 'to_csv', 'to_markdown', 'correspondence_record',
    'evaluate_correspondence', 'flip_correspondence_accuracy',
    'flip_ground_truth', 'match_cells', 'evaluate_episodes',
    'extract_features', 'fewshot_summary', 'image_folder', 'mean_and_ci95',
    'sample_episodes', 'dense_feature_rank', 'effective_rank',
    'variance_shares', 'filter_bank_summary', 'patch_principal_directions',
    'subspace_share', 'backbone_movement', 'norm_movement', 'stage_movement',
    'weight_movement', 'colour_histograms', 'pair_retrieval_accuracy'
]

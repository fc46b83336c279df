from .train import adapt_to_cpu_distributed, build_runner, ensure_local_rank, merge_train_args

__all__ = ['adapt_to_cpu_distributed', 'build_runner', 'ensure_local_rank', 'merge_train_args']

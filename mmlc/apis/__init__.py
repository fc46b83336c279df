from .checkpoint_selection import checkpoint_problem, find_resumable_checkpoint
from .config_checks import check_train_config
from .dist_watch import (CollectiveTimeoutError, dist_timeout, restart_count,
                         train_and_report)
from .initial_weights import initial_weights
from .train import (adapt_to_cpu_distributed, build_runner,
                    close_process_group, ensure_local_rank, merge_train_args,
                    set_resume)

__all__ = [
    'CollectiveTimeoutError', 'adapt_to_cpu_distributed', 'dist_timeout',
    'restart_count', 'train_and_report', 'build_runner', 'check_train_config',
    'checkpoint_problem', 'close_process_group', 'ensure_local_rank',
    'find_resumable_checkpoint', 'initial_weights', 'merge_train_args',
    'set_resume'
]

from .correspondence_accuracy import CorrespondenceAccuracy

__all__ = ['CorrespondenceAccuracy']

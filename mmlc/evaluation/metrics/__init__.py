from .correspondence_accuracy import (CorrespondenceAccuracy,
                                      view_correspondence_accuracy)

__all__ = ['CorrespondenceAccuracy', 'view_correspondence_accuracy']

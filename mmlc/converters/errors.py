class ConversionError(Exception):
    """A checkpoint cannot be read, converted or written; the message says
    why."""

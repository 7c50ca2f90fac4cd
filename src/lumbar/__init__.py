"""lumbar: a home exercise program for non-specific lower back pain."""

__version__ = "0.1.0"

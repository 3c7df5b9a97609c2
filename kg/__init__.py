"""kg: knowledge graphs of the machine-learning literature."""

__version__ = "0.1.0"

"""prepplan: plan your interview preparation, put it in your calendar, check in weekly."""

__version__ = "0.1.0"

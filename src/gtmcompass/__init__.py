"""gtmcompass: tells an AI startup whether To-B or To-C fits it, and why."""

__version__ = "0.1.0"

"""The Telegram layer and the command line of the pregnancy FAQ bot."""

__version__ = "0.1.0"

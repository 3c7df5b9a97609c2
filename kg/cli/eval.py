"""Placeholder: this command is being written."""

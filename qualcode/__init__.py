"""qualcode: Framework Method analysis of qualitative data in the terminal."""

__version__ = "0.1.0"

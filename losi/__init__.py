"""losi: a semi-automated assessor for the UN Local Online Service Index."""

__version__ = "0.1.0"

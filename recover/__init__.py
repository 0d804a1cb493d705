"""recover: get the numbers back out of damaged Chinese government information-disclosure annual reports."""

__version__ = "0.1.0"
SCHEMA_VERSION = 1

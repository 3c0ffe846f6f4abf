"""apilint: diff two versions of an HTTP API and require a version increase for any change."""

__version__ = "0.1.0"

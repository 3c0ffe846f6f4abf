"""The HTTP methods an OpenAPI path item may hold, in the specification's order: one copy for
the loader, the normaliser and everything after them."""

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

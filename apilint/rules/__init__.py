"""The rule catalogue, shipped as data inside the wheel (``apilint.rules``)."""

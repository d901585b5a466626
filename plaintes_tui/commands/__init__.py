"""The sub-commands of ``plaintes``, one module each, each with ``register`` and ``run``."""

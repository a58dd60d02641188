"""Rusta's engine: explain, repair and the core loop. JAX lives only under bytelm/ and heads/, imported lazily."""

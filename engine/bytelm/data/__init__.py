"""The byte LM's corpus: provenance ledger, license policy, dedup, by-crate split, byte collation.

Pure numpy and the standard library: building a snapshot never imports JAX.
"""

"""engine/repair"""

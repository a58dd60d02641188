"""engine/heads"""

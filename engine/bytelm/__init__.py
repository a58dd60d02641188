"""engine/bytelm"""

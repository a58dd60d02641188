"""engine/explain"""

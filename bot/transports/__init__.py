"""Transports: each turns one messaging app's updates into events and replies into calls.

Only modules in this package may import a messaging SDK.
"""

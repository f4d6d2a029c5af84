"""Inbound alerts: a bot's own webhook that turns outside alerts into signals for it."""

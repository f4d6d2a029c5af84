"""Notifications: preferences, channels (webhooks, Apprise, e-mail), deliveries, the centre."""

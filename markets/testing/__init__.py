"""Test and benchmark helpers that ship with the code (local fakes; no network, no Django)."""

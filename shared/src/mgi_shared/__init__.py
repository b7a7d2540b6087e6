"""Shared building blocks of the MGI platform: contracts, settings, broker, storage, telemetry."""

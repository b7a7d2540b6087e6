"""Thin adapters from HTTP requests and Kafka records to the use cases."""

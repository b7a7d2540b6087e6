"""Kafka set-up shared by the services: producer factory and the reliable consumer pattern."""

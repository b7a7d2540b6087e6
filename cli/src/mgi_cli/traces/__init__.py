"""The local trace receiver (`mgi stack up` without an OTLP endpoint) and `mgi trace`."""

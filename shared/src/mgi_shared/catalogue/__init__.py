"""Indicator catalogues: versioned questionnaires that assessments are bound to."""

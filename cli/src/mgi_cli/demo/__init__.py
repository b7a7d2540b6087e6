"""`mgi demo`: a sample multi-country MGI rollout pushed through the real pipeline."""

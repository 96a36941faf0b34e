"""Engine tests: pure Python + numpy, no Django and no database."""

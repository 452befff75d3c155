"""Stage 4: executing the notebooks into editions (runner, warm kernels, cache)."""

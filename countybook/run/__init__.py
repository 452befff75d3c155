"""Stage 4: executing the notebooks into editions, and building the book from them.

command (the `run` CLI) -> runner (one edition's run on a plan.RunPlan: year check, cache,
execute with warm kernels, verify, postprocess, swap) -> build (edition_set checked, then
jupyter-book). cache holds the content-hash cache, private_apis the only calls below a public API,
pdf and print_html the print edition.
"""

# bash completion: options, -D limits, scripts, and probe points after
# -l/-L (from `bpftap -l`).
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/bpftap
TESTS += tests/completion.sh
EXTRA_DIST += tests/completion.sh
# the Debian packaging and the setup script travel in the tarball too
EXTRA_DIST += debian setup.sh

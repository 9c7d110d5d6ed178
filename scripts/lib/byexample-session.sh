# shellcheck shell=bash
# The bash session in which byexample runs the command blocks of the documents (scripts/check-docs.sh and the drills
# that run a document: ENV points here, and `bash --posix`, as byexample starts it, reads it):
# - a pipeline fails when any of its commands fails (pipefail), not only the last;
# - a failing command prints `[exit N]`, which the document must then show — and, when RUNNABLE_DOCS_FAILURES names a
#   file, is also recorded there, so a failure hidden by an expected `<...>` is still counted (check-docs.sh compares
#   the count with the `[exit N]` lines the documents show).
set -o pipefail
# shellcheck disable=SC2154  # the trap assigns it
trap 'documents_exit=$?; echo "[exit $documents_exit]"; if [[ -n "${RUNNABLE_DOCS_FAILURES:-}" ]]; then echo "$documents_exit" >>"$RUNNABLE_DOCS_FAILURES"; fi' ERR

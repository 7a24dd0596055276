#!/usr/bin/env bash
# Builds the DocC documentation of the library products with nothing but the Swift toolchain:
# `swift build` compiles the modules, `swift-symbolgraph-extract` reads their public symbols and
# doc comments, and `docc convert` joins each module's symbol graph with its catalog
# (Sources/<Module>/<Module>.docc: the landing page and the articles) into an archive; `docc
# merge` then combines the archives into one site. Everything goes to .build/docs (untracked).
#
#   scripts/docs.sh                  build .build/docs/symmetry-probes.doccarchive
#   scripts/docs.sh --preview Probes build, then serve one module at http://localhost:8080
#
# A DocC archive is a web app that fetches its pages, so it is read through a web server, not
# from file:// URLs: `--preview`, or any static server over the merged archive, e.g.
# `python3 -m http.server -d .build/docs/symmetry-probes.doccarchive 8000` and then
# http://localhost:8000/documentation/.
set -euo pipefail
cd "$(dirname "$0")/.."

modules=(LinearAlgebra Symmetries Learners Probes SymmetryTesting)
preview=""
if [[ "${1:-}" == "--preview" ]]; then
  preview="${2:?usage: scripts/docs.sh --preview MODULE (one of ${modules[*]})}"
  [[ " ${modules[*]} " == *" $preview "* ]] || {
    echo "docs.sh: unknown module '$preview'; use one of: ${modules[*]}" >&2
    exit 2
  }
elif [[ $# -gt 0 ]]; then
  echo "usage: scripts/docs.sh [--preview MODULE]" >&2
  exit 2
fi

out=.build/docs
# SymmetryTesting depends on every other library module, so this builds all five.
swift build --target SymmetryTesting
modules_dir="$(swift build --show-bin-path)/Modules"
triple=$(swift -print-target-info | sed -n 's/^ *"triple": "\(.*\)",*$/\1/p' | head -1)

rm -rf "$out"
for module in "${modules[@]}"; do
  graphs="$out/symbol-graphs/$module"
  mkdir -p "$graphs"
  swift-symbolgraph-extract -module-name "$module" -target "$triple" -I "$modules_dir" \
    -output-dir "$graphs" -minimum-access-level public -skip-synthesized-members
  if [[ "$module" == "$preview" ]]; then
    exec docc preview "Sources/$module/$module.docc" --additional-symbol-graph-dir "$graphs" \
      --fallback-display-name "$module" --fallback-bundle-identifier "symmetry-probes.$module" \
      --output-dir "$out/$module.doccarchive"
  fi
  docc convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name "$module" --fallback-bundle-identifier "symmetry-probes.$module" \
    --output-dir "$out/$module.doccarchive" 2>&1 | tee "$out/$module.log"
  # Any DocC warning fails the build: a link that resolves to nothing (a renamed symbol, a
  # misspelt article), a doc comment that documents some of its parameters but not all.
  if grep -E '^(warning|error):' "$out/$module.log" >/dev/null; then
    echo "docs.sh: $module: docc reported the problems above; fix the doc comments or articles it names" >&2
    exit 1
  fi
done
archives=()
for module in "${modules[@]}"; do archives+=("$out/$module.doccarchive"); done
docc merge "${archives[@]}" --output-path "$out/symmetry-probes.doccarchive" \
  --synthesized-landing-page-name symmetry-probes
echo "docs.sh: wrote $out/symmetry-probes.doccarchive (one archive per module beside it)"

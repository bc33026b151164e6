#!/usr/bin/env bash
# The inspector's check of a Dossier archive package, with stock tools only (no Dossier):
# bsdtar, bagit.py (the Library of Congress `bagit` package) and openssl. README.md explains
# each step; this script is those steps, run by Dossier's own tests.
#
#   Archives/inspect.sh PACKAGE.tar AGENCY-PUBLIC-KEY.pem [WORK-FOLDER]
#   Archives/inspect.sh PACKAGE.tar ROOT-CERTIFICATE.pem [WORK-FOLDER]
#
# With a root certificate, the package must carry the agency's certificate chain leading to it.
#
# Prints each step and "PACKAGE VERIFIED" at the end; exits non-zero at the first failure.
set -euo pipefail
export LC_ALL=C.UTF-8
package=$(realpath "$1")
trusted=$(realpath "$2")
work=${3:-$(mktemp -d)}
mkdir -p "$work"
work=$(realpath "$work")
bagit=${BAGIT:-bagit.py}

echo "== 1. The package holds only files and folders (no links, devices or other entries)"
if bsdtar -tvf "$package" | grep -v '^[-d]'; then
  echo "REFUSED: the package holds special entries"; exit 1
fi
if bsdtar -tf "$package" | grep -E '(^/|(^|/)\.\.(/|$)|\\)'; then
  echo "REFUSED: the package holds unsafe paths"; exit 1
fi

echo "== 2. Extract into a fresh folder"
mkdir -p "$work/bag"
bsdtar -xf "$package" -C "$work/bag" --no-same-owner --no-same-permissions
root=$(bsdtar -tf "$package" | head -n 1 | cut -d/ -f1)
bag="$work/bag/$root"

echo "== 3. BagIt structure, Payload-Oxum and every SHA-256 (bagit.py)"
"$bagit" --validate "$bag"

echo "== 4. Every SM3 digest (openssl dgst -sm3)"
(
  cd "$bag"
  while IFS= read -r line; do
    digest=${line%%  *}
    path=${line#*  }
    actual=$(openssl dgst -sm3 -r "$path" | cut -d' ' -f1)
    if [ "$actual" != "$digest" ]; then echo "REFUSED: SM3 does not match for $path"; exit 1; fi
  done < manifest-sm3.txt
)

if grep -q -- '-----BEGIN CERTIFICATE-----' "$trusted"; then
  echo "== 5. The agency's certificate chain leads to the trusted root, link by link (openssl verify)"
  chain="$bag/signature/certificate-chain.pem"
  if [ ! -f "$chain" ]; then echo "REFUSED: the package carries no certificate chain"; exit 1; fi
  mkdir -p "$work/chain"
  # One file per certificate: cert-0.pem is the agency's, the next ones its issuers.
  awk -v dir="$work/chain" '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (dir "/cert-" (n - 1) ".pem") }' "$chain"
  count=$(ls "$work/chain" | wc -l)
  for ((i = 0; i < count; i++)); do
    certificate="$work/chain/cert-$i.pem"
    options=()
    # Each link on its own: OpenSSL 3.0 sets the SM2 ID only on the certificate it is given.
    if [ $((i + 1)) -lt "$count" ]; then
      options+=(-partial_chain -CAfile "$work/chain/cert-$((i + 1)).pem")
    else
      options+=(-CAfile "$trusted")
    fi
    if openssl x509 -in "$certificate" -noout -text | grep -q 'Signature Algorithm: SM2-with-SM3'; then
      options+=(-vfyopt distid:1234567812345678)
    fi
    openssl verify "${options[@]}" "$certificate"
  done
  openssl x509 -in "$work/chain/cert-0.pem" -pubkey -noout > "$work/agency.pem"
  agency_key="$work/agency.pem"
else
  agency_key="$trusted"
fi

echo "== 6. The signature over the tag manifest, by the agency's key"
if ! cmp -s <(openssl pkey -pubin -in "$bag/signature/public-key.pem" -outform DER) \
            <(openssl pkey -pubin -in "$agency_key" -outform DER); then
  echo "REFUSED: the package was signed by another key than the agency's"; exit 1
fi
algorithm=$(sed -n 's/^Algorithm: //p' "$bag/signature/signature.txt")
case "$algorithm" in
  SM2-SM3)
    openssl pkeyutl -verify -pubin -inkey "$agency_key" -rawin -digest sm3 \
      -pkeyopt distid:1234567812345678 \
      -in "$bag/tagmanifest-sha256.txt" -sigfile "$bag/signature/signature.bin" ;;
  Ed25519)
    openssl pkeyutl -verify -pubin -inkey "$agency_key" -rawin \
      -in "$bag/tagmanifest-sha256.txt" -sigfile "$bag/signature/signature.bin" ;;
  ECDSA-P256-SHA256)
    openssl dgst -sha256 -verify "$agency_key" -signature "$bag/signature/signature.bin" \
      "$bag/tagmanifest-sha256.txt" ;;
  *) echo "REFUSED: unknown signature algorithm '$algorithm'"; exit 1 ;;
esac

echo "== 7. Rebuild the tar from the extracted bag: the same bytes (reproducible)"
# mtree names are written with every byte other than letters, digits and . _ - / as a \ooo
# octal escape (spaces and Chinese characters included), as the mtree format wants.
{
  echo '#mtree'
  echo '/set type=file uid=0 gid=0 uname=root gname=root mode=0644 time=946684800.0'
  bsdtar -tf "$package" | python3 -c '
import sys
safe = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")
for line in sys.stdin.buffer.read().split(b"\n"):
    if line:
        print("".join(chr(b) if b in safe else "\\%03o" % b for b in line))'
} > "$work/spec.mtree"
(cd "$work/bag" && bsdtar --format pax -cf "$work/rebuilt.tar" "@$work/spec.mtree")
# bsdcat writes the tar itself, decompressing a zstd-compressed package (--zstd) first.
if [ "$(bsdcat "$package" | sha256sum)" != "$(sha256sum < "$work/rebuilt.tar")" ]; then
  echo "REFUSED: the package is not the reproducible form of its content"; exit 1
fi

echo "PACKAGE VERIFIED"

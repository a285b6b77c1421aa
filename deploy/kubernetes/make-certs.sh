#!/usr/bin/env bash
# Makes the webhook's serving certificate with openssl: a private CA and a certificate for the
# Service's DNS names (archcompat-webhook.archcompat-system.svc), and writes the CA into the
# manifest's caBundle. Then store the certificate as the secret the Deployment mounts (the command
# is printed) and apply the manifest. Run again before the certificate expires: the webhook
# re-reads rotated files without a restart. With cert-manager, use a Certificate for the same
# names and its cainjector annotation instead.
#   deploy/kubernetes/make-certs.sh [OUT_DIR [MANIFEST]]   (needs openssl)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/certs"}
manifest=${2:-"$here/webhook.yaml"}
ns=archcompat-system
svc=archcompat-webhook
days=${DAYS:-365}
mkdir -p "$out"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$days" \
  -subj "/CN=archcompat webhook CA" -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/CN=$svc.$ns.svc" -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\nextendedKeyUsage=serverAuth\n' \
  "$svc" "$svc" "$ns" "$svc" "$ns" "$svc" "$ns" > "$out/ext.cnf"
openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -days "$days" -extfile "$out/ext.cnf" -out "$out/tls.crt" 2>/dev/null
ca=$(base64 < "$out/ca.crt" | tr -d '\n')
sed -i "s|caBundle: .*|caBundle: \"$ca\"|" "$manifest"
echo "certificate for $svc.$ns.svc in $out; caBundle written to $manifest. Next:"
echo "  kubectl create namespace $ns"
echo "  kubectl -n $ns create secret tls $svc-tls --cert=$out/tls.crt --key=$out/tls.key"
echo "  kubectl apply -f $manifest"

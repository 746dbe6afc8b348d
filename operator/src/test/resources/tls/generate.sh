#!/bin/sh
# Test certificates for the operator's TLS listener (ServingCertificateTest, CertificateSecretTest,
# SlowClientsIT). Test only: the keys are public. Valid for 100 years; to make them again:
#   cd operator/src/test/resources/tls && sh generate.sh
set -eu
days=36500
san="subjectAltName=DNS:localhost,DNS:vigil-operator.vigil-system.svc,IP:127.0.0.1"

# A CA, and two serving certificates it signs: RSA (key as PKCS#1 and PKCS#8), EC P-256 (SEC1, PKCS#8).
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days $days \
  -subj "/CN=vigil test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl genrsa -traditional -out rsa.pkcs1.key 2048 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in rsa.pkcs1.key -out rsa.pkcs8.key
openssl ecparam -name prime256v1 -genkey -noout -out ec.sec1.key
openssl pkcs8 -topk8 -nocrypt -in ec.sec1.key -out ec.pkcs8.key
for kind in rsa ec; do
  key=$([ $kind = rsa ] && echo rsa.pkcs1.key || echo ec.sec1.key)
  openssl req -new -key $key -subj "/CN=vigil-operator $kind" -out $kind.csr
  openssl x509 -req -in $kind.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days $days \
    -extfile /dev/stdin -out $kind.crt 2>/dev/null <<EXT
$san
extendedKeyUsage=serverAuth
EXT
  rm $kind.csr
done
rm -f ca.srl ca.key

# A self-signed certificate (no ca.crt: shards trust it itself), for another name only.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout self.key \
  -out self.crt -days $days -subj "/CN=elsewhere" -addext "subjectAltName=DNS:elsewhere.example" \
  2>/dev/null

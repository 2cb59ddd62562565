#!/bin/bash
# IKEv2 with strongSwan, ECDSA (P-256) certificates, ikevtid as initiator
# and as responder. The checks live in ike_strongswan.sh (parts "pki"
# and "ecdsa"); a program of their own keeps each within the selftest
# timeout.
IKE_PARTS="pki ecdsa" exec bash "$(dirname "$0")/ike_strongswan.sh"

#!/bin/bash
# IKEv2 with strongSwan, the life of a PSK tunnel: IKE and child rekeys
# from both sides under traffic without loss, deletes from either side,
# a peer restart (INITIAL_CONTACT), a wrong PSK, a make-before-break
# reauthentication by strongSwan without loss. The checks live in
# ike_strongswan.sh (parts "life", "wrong_psk" and "reauth"); a program
# of their own keeps each within the selftest timeout.
IKE_PARTS="life wrong_psk reauth" exec bash "$(dirname "$0")/ike_strongswan.sh"

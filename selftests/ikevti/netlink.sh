#!/bin/bash
# Generic netlink validation: every command refuses missing, oversized,
# unknown and ill-typed attributes with an errno and an extack message,
# and nothing is half-installed (nl_validate does the work).
. "$(dirname "$0")/lib.sh"

add_netns nl1
ip -n nl1 link add ikv0 type ikevti local 10.1.0.1 remote 10.1.0.2 || exit 1
ip netns exec nl1 "$NL_VALIDATE" ikv0 lo

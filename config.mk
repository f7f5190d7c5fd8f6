# Project-wide settings, read by make and by the shell scripts (plain
# NAME=value lines, no spaces around '=').

# The Debian kernel source package the series applies to. Bump this one
# line to move to a newer 6.12 LTS upload; kernel-prepare.sh refuses to
# build when the installed package differs and stops at the first patch
# that no longer applies.
DEBIAN_LINUX_SOURCE=linux-source-6.12
DEBIAN_LINUX_VERSION=6.12.118-1~deb12u1

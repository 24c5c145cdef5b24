#!/bin/sh
# Container entrypoint (run by tini): astro writes generated types into <app>/.astro on every build. The image's
# root filesystem is read-only, so /app/.astro is a symlink into the data volume; the volume may be brand new,
# so its end of the link is created here. Then it becomes the command (ctm start by default).
set -eu
mkdir -p /app/data/cache/dot-astro
exec "$@"

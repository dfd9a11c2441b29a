#!/usr/bin/env bash
# One entry point that sets everything up on a fresh Debian 12 machine:
#   ./run.sh train [ARGS...]   build, then run the main job (lathe train ARGS...)
#   ./run.sh test  [ARGS...]   build, then run the whole test suite (ctest ARGS...)
#   ./run.sh bench [ARGS...]   also install libtorch (the peer), build, run lathe bench ARGS...
#   ./run.sh build             configure and build only
# Missing Debian packages are installed with apt-get (as root, or through sudo).
# BUILD_DIR (default: build) and BUILD_TYPE (default: Release) select the build.
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
JOBS=$(nproc)
PACKAGES=(g++ make cmake catch2 nlohmann-json3-dev libcli11-dev zlib1g-dev
          libopenblas-openmp-dev libdnnl-dev dataset-fashion-mnist)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "run.sh: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
}

build() {
  install_packages
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-}
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  train) build && exec "$BUILD_DIR/tools/lathe/lathe" train "$@" ;;
  bench) PACKAGES+=(libtorch-dev) && build && exec "$BUILD_DIR/tools/lathe/lathe" bench "$@" ;;
  # python3-venv: the safetensors interop test may make a venv to pip-install safetensors.
  test) PACKAGES+=(python3-venv) && build &&
        exec ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure "$@" ;;
  build) build ;;
  *) echo "usage: ./run.sh train|test|bench|build [ARGS...]" >&2; exit 2 ;;
esac

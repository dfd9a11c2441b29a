#!/usr/bin/env bash
# One entry point that sets everything up on a fresh Debian 12 machine:
#   ./run.sh train [ARGS...]   build what the main job needs (the library with its cpu backend
#                              and the lathe program; the cuda plugin only when a GPU is present
#                              or LATHE_CUDA=1), then run it (lathe train ARGS...)
#   ./run.sh test  [ARGS...]   build, then run the whole test suite (ctest ARGS...)
#   ./run.sh bench [ARGS...]   also install the peers (Debian's libtorch 1.13, PyTorch 2.x from
#                              PyPI), build, run lathe bench ARGS...
#   ./run.sh build             configure and build only
# Missing Debian packages are installed with apt-get (as root, or through sudo).
# BUILD_DIR (default: build) and BUILD_TYPE (default: Release) select the build.
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
JOBS=$(nproc)
PACKAGES=(g++ make cmake ccache catch2 nlohmann-json3-dev libcli11-dev zlib1g-dev
          libopenblas-openmp-dev libdnnl-dev libkissfft-dev libgudhi-dev dataset-fashion-mnist
          libopenmpi-dev openmpi-bin)

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

# Everything: tests, the cuda plugin when the toolkit is installed, the benchmark peers that are.
build() {
  install_packages
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DLATHE_BACKEND_CUDA=ON \
        -DLATHE_WITH_LIBTORCH=ON ${CMAKE_ARGS:-}
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

# Only what `lathe train` needs, so the first epoch comes minutes sooner on a fresh machine: no
# test suite (Catch2 and ~120 test files), no benchmark peers (libtorch), and the cuda plugin
# (nvcc, the slowest compiles) only when a GPU answers `nvidia-smi -L` or LATHE_CUDA=1 asks.
build_train() {
  install_packages
  local cuda=OFF why="no GPU answers nvidia-smi -L; LATHE_CUDA=1 builds it anyway"
  if [ "${LATHE_CUDA:-}" = 1 ]; then
    cuda=ON why="LATHE_CUDA=1"
  elif nvidia-smi -L >/dev/null 2>&1; then
    cuda=ON why="a GPU is present"
  fi
  local targets=(lathe_cli)
  [ "$cuda" = ON ] && targets+=(lathe_backend_cuda)
  echo "run.sh train: building the lathe library with its cpu backend (OpenBLAS + oneDNN) and" \
       "the lathe program in $BUILD_DIR; no tests, no benchmark peers"
  echo "run.sh train: cuda plugin: $cuda ($why)"
  local files
  files=$(find core ops losses models backends/reference backends/cpu tools/lathe -name '*.cpp' |
          wc -l)
  echo "run.sh train: a first build compiles about $files files with $JOBS jobs" \
       "(about 4 minutes on 2 idle cores; ccache makes later builds fast)"
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DLATHE_BACKEND_CUDA="$cuda" \
        -DLATHE_WITH_LIBTORCH=OFF -DLATHE_TORCH_PEER_ROOT= ${CMAKE_ARGS:-} |
    { grep -- '-- lathe:' || true; }
  if [ "$cuda" = ON ] && ! cmake --build "$BUILD_DIR" --target help | grep -qw lathe_backend_cuda
  then
    targets=(lathe_cli)  # no toolkit: the configure step said why
  fi
  cmake --build "$BUILD_DIR" -j "$JOBS" --target "${targets[@]}"
}

# The second peer of `lathe bench`: PyTorch's pip wheel in a venv under the build directory,
# of which only the C++ libraries are used (lathe-torch-peer links them). Its libtorch_cpu names
# the CUDA runtime and CUPTI, so their wheels come too; the rest of its dependencies are for
# Python and are left out. Without PyPI, the bench runs without this peer.
TORCH_PEER_VERSION=2.15.0
TORCH_PEER_CUDA="cuda-toolkit[cudart,cupti]==13.2.2"  # what torch 2.15.0's wheel pins
setup_torch_peer() {
  local venv="$BUILD_DIR/torch-peer"
  local marker="$venv/installed-torch-$TORCH_PEER_VERSION"
  if [ ! -f "$marker" ]; then
    echo "run.sh: installing PyTorch $TORCH_PEER_VERSION from PyPI into $venv (a bench peer)"
    if ! { rm -rf "$venv" && /usr/bin/python3 -m venv "$venv" &&
           "$venv/bin/pip" install -q --no-deps "torch==$TORCH_PEER_VERSION" &&
           "$venv/bin/pip" install -q --no-warn-conflicts "$TORCH_PEER_CUDA" &&
           touch "$marker"; }; then
      echo "run.sh: PyTorch $TORCH_PEER_VERSION not installed; lathe bench runs without it" >&2
      return 0
    fi
  fi
  local site
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  CMAKE_ARGS="${CMAKE_ARGS:-} -DLATHE_TORCH_PEER_ROOT=$site/torch"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  train) build_train && exec "$BUILD_DIR/tools/lathe/lathe" train "$@" ;;
  bench) PACKAGES+=(libtorch-dev python3-venv) && install_packages && setup_torch_peer && build &&
         exec "$BUILD_DIR/tools/lathe/lathe" bench "$@" ;;
  # python3-venv: the safetensors interop test may make a venv to pip-install safetensors.
  test) PACKAGES+=(python3-venv) && build &&
        exec ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure "$@" ;;
  build) build ;;
  *) echo "usage: ./run.sh train|test|bench|build [ARGS...]" >&2; exit 2 ;;
esac

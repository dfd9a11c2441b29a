#!/bin/sh
# A quick ThreadSanitizer check of two trainers in two threads on top of an ordinary (gcc) build:
# core/ (autograd engine, registries, allocator, storage, RNG), the reference backend and the
# test program are compiled with -fsanitize=thread; ops, losses, models and the cpu backend are
# linked from BUILD's liblathe.a. (The cpu backend's target_clones functions are resolved by
# IFUNC resolvers that run before the TSan runtime starts: instrumented, they crash at load.) The instrumented objects come first on
# the link line, so they replace the archive's copies. The whole-tree build is -DLATHE_TSAN=ON.
#   tests/threads/build_tsan.sh [BUILD=build] [OUT=BUILD/tsan]; then OUT/two_trainers
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
out=${2:-$build/tsan}
mkdir -p "$out/obj"
blas=/usr/include/x86_64-linux-gnu/openblas-openmp
flags="-std=c++17 -O1 -g1 -fno-omit-frame-pointer -fopenmp -fPIC -fsanitize=thread
       -I$root -I$blas -DLATHE_WITH_CPU_BACKEND"
srcs="$root/core/*.cpp $(ls "$root"/backends/reference/*.cpp | grep -v plugin.cpp)"
objs=""
for src in $srcs; do
  objs="$objs $out/obj/$(basename "$(dirname "$src")")_$(basename "$src" .cpp).o"
done
for src in $srcs; do
  obj="$out/obj/$(basename "$(dirname "$src")")_$(basename "$src" .cpp).o"
  [ -e "$obj" ] && [ ! "$src" -nt "$obj" ] || echo "$src $obj"
done | xargs -r -n 2 -P "${JOBS:-2}" sh -c 'echo "tsan: $0"; g++ '"$(echo $flags)"' -c "$0" -o "$1"'
g++ $flags "$root/tests/threads/two_trainers.cpp" $objs "$build/liblathe.a" -fopenmp \
  -lpthread -ldl -lz /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so -ldnnl \
  -o "$out/two_trainers"
echo "built: $out/two_trainers (run with OMP_NUM_THREADS=1: libgomp is not instrumented)"

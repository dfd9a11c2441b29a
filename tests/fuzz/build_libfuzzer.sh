#!/bin/sh
# Builds the libFuzzer harnesses quickly on top of an ordinary (gcc) build of lathe: the code that
# parses untrusted bytes (core/ and the reference backend) and the harness are compiled with
# clang, -fsanitize=fuzzer,address,undefined and UBSan's integer checks on size arithmetic; the
# rest of lathe (ops, losses, models: no parsing) is linked from BUILD's liblathe.a, unchanged.
# The clang objects come first on the link line, so they replace the archive's copies of core.
# A whole-tree instrumented build is -DLATHE_FUZZ=ON (CMakeLists.txt); this one compiles ~25
# files instead of ~500.
#   tests/fuzz/build_libfuzzer.sh [BUILD=build] [OUT=BUILD/fuzz]
#   BUILD/fuzz/fuzz_npy_reader -max_total_time=60 BUILD/fuzz/work/npy_reader \
#     tests/fuzz/corpus/npy_reader
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
out=${2:-$build/fuzz}
mkdir -p "$out/obj"
cxx=${CXX_FUZZ:-clang++}
blas=/usr/include/x86_64-linux-gnu/openblas-openmp
# Integer checks that matter for sizes; unsigned wrap is left out (the Philox counter and the
# hashes wrap on purpose).
# LATHE_FUZZ_SAN replaces the list (e.g. "-fsanitize=address,integer -fsanitize-recover=integer"
# for a pass over every integer check that reports and goes on).
default_san="-fsanitize=address,undefined,signed-integer-overflow"
default_san="$default_san,implicit-signed-integer-truncation -fno-sanitize-recover=all"
san=${LATHE_FUZZ_SAN:-$default_san}
flags="-std=c++17 -O1 -g1 -fno-omit-frame-pointer -fopenmp -fPIC $san
       -I$root -I$blas -DLATHE_WITH_CPU_BACKEND"

objs=""
for src in "$root"/core/*.cpp $(ls "$root"/backends/reference/*.cpp | grep -v plugin.cpp); do
  obj="$out/obj/$(basename "$(dirname "$src")")_$(basename "$src" .cpp).o"
  # Rebuilt when the source or any header of core/ or backends/ is newer than the object.
  newer=$(find "$root/core" "$root/backends" -name '*.h' -newer "$obj" 2>/dev/null | head -1)
  if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$newer" ]; then
    echo "clang: $src"
    $cxx $flags -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  fi
  objs="$objs $obj"
done

libs="$build/liblathe.a -fopenmp -lpthread -ldl -lz
      /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so -ldnnl"
for h in npy_reader safetensors_reader checkpoint_loader eval_args op_call; do
  extra=""
  [ "$h" = eval_args ] && extra="$root/tools/lathe/eval.cpp $root/tools/lathe/args.cpp
                                 $root/tools/lathe/files.cpp"
  echo "clang: fuzz_$h"
  $cxx $flags -fsanitize=fuzzer "$root/tests/fuzz/$h.cpp" $extra $objs $libs -o "$out/fuzz_$h"
  mkdir -p "$out/work/$h"
done
echo "built: $(ls "$out"/fuzz_* | tr '\n' ' ')"

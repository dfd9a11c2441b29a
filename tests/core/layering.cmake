# Layering: core/ is the engine under every op, so none of its files may include a header from
# the layers built on it (ops/, losses/, models/). Run by CTest as `core_layering`:
#   cmake -DROOT=<source dir> -P tests/core/layering.cmake
# Prints each offending include as FILE:LINE: TEXT and fails when there is one.
file(GLOB sources RELATIVE "${ROOT}" "${ROOT}/core/*.h" "${ROOT}/core/*.cpp")
set(bad "")
foreach(src IN LISTS sources)
  file(STRINGS "${ROOT}/${src}" lines)
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*[\"<](ops|losses|models)/")
      string(APPEND bad "  ${src}:${n}: ${line}\n")
    endif()
  endforeach()
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "core_layering: no core/ sources under '${ROOT}'")
endif()
if(bad)
  message(FATAL_ERROR "core/ must not include from ops/, losses/ or models/:\n${bad}")
endif()
message(STATUS "core_layering: ${count} core/ files include nothing from ops/, losses/, models/")

# The cuda backend (backends/cuda/): own kernels + cuBLAS. Always built as a plugin,
# liblathe_backend_cuda.so (load it with LATHE_BACKEND_PATH or lathe::load_backend); with
# LATHE_CUDA_BUILTIN also compiled into lathe. Skipped with a message when nvcc or cuBLAS is
# missing. Included from the top-level CMakeLists.txt (enable_language must run at top level).
option(LATHE_BACKEND_CUDA "Build the cuda backend plugin (needs the CUDA toolkit: nvcc, cuBLAS)" ON)
option(LATHE_CUDA_BUILTIN "Also compile the cuda backend into lathe (LATHE_WITH_CUDA_BUILTIN)" OFF)

if(LATHE_BACKEND_CUDA)
  # The toolkit's usual home, when nvcc is not on PATH and no compiler was named.
  if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(NOT CMAKE_CUDA_COMPILER)
    message(STATUS "lathe: cuda backend skipped: no CUDA compiler (nvcc) found; install the CUDA "
                   "toolkit or set CMAKE_CUDA_COMPILER")
    set(LATHE_BACKEND_CUDA OFF)
  endif()
endif()

if(LATHE_BACKEND_CUDA)
  # A100 (sm_80, also runs on sm_86/sm_89) and H100 (sm_90) code, plus sm_90 PTX that newer GPUs
  # compile at load time. Override with -DCMAKE_CUDA_ARCHITECTURES=... (e.g. add 75 for T4).
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES "80-real;90")
  endif()
  enable_language(CUDA)
  find_package(CUDAToolkit)
  if(NOT TARGET CUDA::cublas OR NOT TARGET CUDA::cudart_static)
    message(STATUS "lathe: cuda backend skipped: cuBLAS not found in the CUDA toolkit")
    set(LATHE_BACKEND_CUDA OFF)
  endif()
endif()

if(NOT LATHE_BACKEND_CUDA)
  set(LATHE_CUDA_BUILTIN OFF)
  return()
endif()

message(STATUS "lathe: cuda backend on (CUDA ${CUDAToolkit_VERSION}, architectures "
               "${CMAKE_CUDA_ARCHITECTURES}, built into lathe: ${LATHE_CUDA_BUILTIN})")

file(GLOB LATHE_CUDA_SOURCES CONFIGURE_DEPENDS backends/cuda/*.cu backends/cuda/*.cpp)
list(FILTER LATHE_CUDA_SOURCES EXCLUDE REGEX "plugin\\.cpp$")

# Compiled once, linked into the plugin and (with LATHE_CUDA_BUILTIN) into lathe.
add_library(lathe_cuda_objects OBJECT ${LATHE_CUDA_SOURCES})
target_include_directories(lathe_cuda_objects PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(lathe_cuda_objects PRIVATE CUDA::cudart_static CUDA::cublas)
set_target_properties(lathe_cuda_objects PROPERTIES
  CUDA_STANDARD 17 CUDA_STANDARD_REQUIRED ON
  CXX_VISIBILITY_PRESET hidden CUDA_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
target_compile_options(lathe_cuda_objects PRIVATE
  $<$<COMPILE_LANGUAGE:CXX>:${LATHE_WARNINGS}>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)

add_library(lathe_backend_cuda MODULE backends/cuda/plugin.cpp $<TARGET_OBJECTS:lathe_cuda_objects>)
target_include_directories(lathe_backend_cuda PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_options(lathe_backend_cuda PRIVATE ${LATHE_WARNINGS})
# The static CUDA runtime keeps the plugin independent of the runtime version installed;
# --exclude-libs keeps its symbols out of the plugin's exports (only lathe_backend_entry).
target_link_libraries(lathe_backend_cuda PRIVATE CUDA::cudart_static CUDA::cublas)
target_link_options(lathe_backend_cuda PRIVATE "LINKER:--exclude-libs,ALL")
set_target_properties(lathe_backend_cuda PROPERTIES
  CXX_VISIBILITY_PRESET hidden LINKER_LANGUAGE CXX
  BUILD_RPATH ${CUDAToolkit_LIBRARY_DIR} INSTALL_RPATH ${CUDAToolkit_LIBRARY_DIR})
install(TARGETS lathe_backend_cuda LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/lathe)

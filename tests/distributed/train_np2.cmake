# `mpirun -np 2 lathe train` against one process, on the first 1200 Fashion-MNIST images with
# dropout off (with dropout each rank draws its own masks): the same test accuracies (within
# 0.5 points; measured equal), the global batch stated once (rank 0 alone prints), and the run's
# files written. Skipped when Fashion-MNIST is not installed.
# cmake -DLATHE=... -DMPIRUN=... -DWORK=... -P train_np2.cmake
if(NOT EXISTS /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz)
  message("LATHE_TEST_SKIPPED: Fashion-MNIST is not installed (apt-get install "
          "dataset-fashion-mnist)")
  return()
endif()
set(args train --epochs 1 --limit 1200 --dropout 0 --threads 1 --quiet --overwrite
         --runs-dir ${WORK})
execute_process(COMMAND ${LATHE} ${args} --name one RESULT_VARIABLE rc OUTPUT_VARIABLE out1
                ERROR_VARIABLE out1)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "one process failed (${rc}):\n${out1}")
endif()
separate_arguments(mpirun UNIX_COMMAND "${MPIRUN}")
execute_process(COMMAND ${mpirun} -np 2 ${LATHE} ${args} --name two RESULT_VARIABLE rc
                OUTPUT_VARIABLE out2 ERROR_VARIABLE out2 TIMEOUT 240)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mpirun -np 2 failed (${rc}):\n${out2}")
endif()
string(REGEX MATCHALL "global batch 128 = 2 x 64 per rank" stated "${out2}")
list(LENGTH stated n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected the global batch stated once (by rank 0), got ${n}:\n${out2}")
endif()
foreach(f config.json metrics.jsonl summary.json curves.svg teacher.safetensors
          student.safetensors)
  if(NOT EXISTS ${WORK}/two/${f})
    message(FATAL_ERROR "mpirun -np 2 lathe train wrote no ${f}")
  endif()
endforeach()
file(READ ${WORK}/one/summary.json one)
file(READ ${WORK}/two/summary.json two)
foreach(phase teacher student)
  string(JSON a GET "${one}" ${phase} test_accuracy)
  string(JSON b GET "${two}" ${phase} test_accuracy)
  set(units "")
  foreach(x a b)  # math() has no floats: the accuracy in units of 1e-5
    string(REGEX MATCH "^([01])\\.?([0-9]*)" m "${${x}}")
    set(frac "${CMAKE_MATCH_2}00000")
    string(SUBSTRING "${frac}" 0 5 frac)
    math(EXPR u "${CMAKE_MATCH_1} * 100000 + 1${frac} - 100000")
    list(APPEND units ${u})
  endforeach()
  list(GET units 0 ua)
  list(GET units 1 ub)
  math(EXPR diff "${ua} - ${ub}")
  if(diff LESS 0)
    math(EXPR diff "0 - ${diff}")
  endif()
  message("${phase}: test accuracy ${a} (one process) vs ${b} (mpirun -np 2)")
  if(diff GREATER 500)  # 0.005 = half a point, in units of 1e-5
    message(FATAL_ERROR "${phase}: accuracies differ by more than 0.5 points")
  endif()
endforeach()

// The three generic runners every registered op goes through, plus shared comparison helpers.
//   gradcheck:   float64 central differences vs autograd, first and second order
//                (second order: Hessian-vector products w.r.t. inputs and output seeds), on
//                contiguous and strided inputs.
//   conformance: every case on every non-reference backend vs the reference backend, in f64
//                and f32, forward outputs and gradients.
//   oracle:      PyTorch fixtures (tests/fixtures/oracle/<op>.safetensors) in f64 and f32.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ops/evaluate.h"
#include "tests/support/cases.h"

namespace lathe::test {

void run_gradcheck(const Case& c);
void run_conformance(const Case& c, const Backend& target);
// Every case of one op's fixture file (`path`, from oracle_fixture).
void run_oracle_fixture(const std::string& path);
// The same cases through the `lathe eval` program (a separate process, reading the tensors as
// FILE.safetensors:KEY): outputs and gradients.
void run_eval_fixture(const std::string& cli, const std::string& path);

// The fixture file of one op, tests/fixtures/oracle/<op>.safetensors ("" when it has none).
std::string oracle_fixture(const std::string& op);
std::string fixture_root();

// The case list as JSON (`lathe_tests --list-cases --json [--op NAME]`; all ops when op is
// empty): what tools/oracle/oracle.py computes references for. See list_cases.cpp.
void print_cases_json(std::ostream& os, const std::string& op);
// An attribute value as JSON (int, float, bool, string or list of ints).
nlohmann::json attr_json(const AttrValue& v);

// Backends other than the reference one (the test main loads the reference plugin as
// "reference_plugin" so the dynamic-loading path always runs).
std::vector<const Backend*> conformance_targets();

}  // namespace lathe::test

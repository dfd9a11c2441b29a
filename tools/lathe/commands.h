// The subcommands of the `lathe` program; each file adds one to the app.
#pragma once

#include <CLI/CLI.hpp>

namespace lathe::cli {

void add_ops(CLI::App& app);
void add_info(CLI::App& app);
void add_eval(CLI::App& app);
void add_gradcheck(CLI::App& app);
void add_graph(CLI::App& app);
void add_conformance(CLI::App& app);
void add_bench(CLI::App& app);
void add_train(CLI::App& app);

}  // namespace lathe::cli

// Files the `lathe` program writes: whole files replaced atomically, and checked output paths.
// A run or an evaluation that fails part way leaves every file as it was, never half-written.
#pragma once

#include <string>

namespace lathe::cli {

// Writes `text` to a new file beside `path`, flushes it to disk (fsync), renames it over `path`
// and flushes the directory: readers see the old file or the new one, never a mix. Throws
// "[cmd] cannot write PATH: why" (the previous file unchanged).
void write_file_atomic(const char* cmd, const std::string& path, const std::string& text);

// Removes from `dir` the temporary files that a killed atomic write left (".NAME.tmp.PID" from
// write_file_atomic, ".NAME.tmp.PID.N" from save_safetensors) when process PID is gone; call it
// before this process writes into `dir`. Returns how many it removed.
int remove_stale_temp_files(const std::string& dir);

// A path the program may create: non-empty and without a ".." component. Throws
// "[cmd] FLAG must be ..., got 'path'".
void check_output_path(const char* cmd, const char* flag, const std::string& path);

}  // namespace lathe::cli

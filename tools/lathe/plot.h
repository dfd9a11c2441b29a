// A small SVG line chart writer for training curves (`lathe train` draws loss and accuracy);
// x is a count (epochs), so its ticks are whole numbers.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lathe::cli {

// Line styles (SVG stroke-dasharray values).
inline constexpr const char* kSolid = "";
inline constexpr const char* kDashed = "6 4";
inline constexpr const char* kDotted = "2 3";

struct Series {
  std::string label;
  std::string color;                          // any SVG color, e.g. "#1f77b4"
  std::string dash;                           // kSolid, kDashed, kDotted
  std::vector<std::pair<double, double>> xy;  // (x, y) points, drawn in order
};

struct Panel {
  std::string title, x_label, y_label;
  bool log_y = false;  // losses: one bad first epoch must not flatten the rest
  std::vector<Series> series;
};

// Panels side by side, each with axes, ticks, grid and its legend below the axes (never over
// the data). Written atomically; throws lathe::Error naming the path when it cannot be.
void write_svg(const std::string& path, const std::vector<Panel>& panels);

}  // namespace lathe::cli

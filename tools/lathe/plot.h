// A small SVG line chart writer for training curves (`lathe train` draws loss and accuracy).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lathe::cli {

struct Series {
  std::string label;
  std::string color;                          // any SVG color, e.g. "#1f77b4"
  bool dashed = false;
  std::vector<std::pair<double, double>> xy;  // (x, y) points, drawn in order
};

struct Panel {
  std::string title, x_label, y_label;
  std::vector<Series> series;
};

// Panels side by side, each with axes, ticks, grid and a legend. Throws lathe::Error naming the
// path when it cannot be written.
void write_svg(const std::string& path, const std::vector<Panel>& panels);

}  // namespace lathe::cli

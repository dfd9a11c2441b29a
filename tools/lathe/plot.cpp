// SVG line charts (tools/lathe/plot.h): one 480-wide panel per chart, its legend below the axes,
// linear axes with "nice" ticks (1, 2, 5 x 10^k steps) or a log y axis with ticks at m x 10^k.
#include "tools/lathe/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "tools/lathe/files.h"

namespace lathe::cli {

namespace {

constexpr double kWidth = 480, kHeight = 320;
constexpr double kLeft = 60, kRight = 20, kTop = 36, kBottom = 48, kLegendRow = 16;

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v + 0.0);  // + 0.0: -0 prints as 0
  return buf;
}

// A tick step of 1, 2 or 5 x 10^k giving about `count` ticks over [lo, hi].
double tick_step(double lo, double hi, int count) {
  double raw = (hi - lo) / count, mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

// Tick values over [lo, hi]: multiples of a 1-2-5 step (at least min_step), or on a log axis
// (lo and hi being log10 values) the m x 10^k within range, as dense as the span needs.
std::vector<double> ticks(double lo, double hi, bool log_axis, double min_step = 0) {
  std::vector<double> out;
  if (!log_axis) {
    double step = std::max(tick_step(lo, hi, 5), min_step);
    for (double k = std::ceil(lo / step); k * step <= hi + step * 1e-9; ++k)
      out.push_back(k == 0 ? 0.0 : k * step);
    return out;
  }
  double span = hi - lo;
  std::vector<double> mantissas = span < 0.5   ? std::vector<double>{1, 1.2, 1.5, 2, 2.5, 3, 4, 5,
                                                                     6, 8}
                                  : span < 1.5 ? std::vector<double>{1, 2, 3, 5}
                                  : span < 3   ? std::vector<double>{1, 2, 5}
                                               : std::vector<double>{1};
  for (double k = std::floor(lo); k <= std::ceil(hi); ++k)
    for (double m : mantissas) {
      double v = m * std::pow(10.0, k);
      if (std::log10(v) >= lo && std::log10(v) <= hi) out.push_back(v);
    }
  return out;
}

void panel_svg(std::ostringstream& o, const Panel& p, double x0) {
  // On a log axis y is placed by log10(y); points with y <= 0 cannot be and are left out.
  auto ty = [&](double y) { return p.log_y ? std::log10(y) : y; };
  auto drawable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!p.log_y || y > 0);
  };
  double lo_x = std::numeric_limits<double>::infinity(), hi_x = -lo_x, lo_y = lo_x, hi_y = -lo_x;
  for (const Series& s : p.series)
    for (auto [x, y] : s.xy) {
      if (!drawable(x, y)) continue;
      lo_x = std::min(lo_x, x), hi_x = std::max(hi_x, x);
      lo_y = std::min(lo_y, ty(y)), hi_y = std::max(hi_y, ty(y));
    }
  if (!std::isfinite(lo_x)) lo_x = 0, hi_x = 1, lo_y = 0, hi_y = 1;
  if (hi_x == lo_x) hi_x = lo_x + 1;
  if (hi_y == lo_y) hi_y = lo_y + (p.log_y ? 0.1 : 1);
  double pad = (hi_y - lo_y) * 0.05;
  lo_y -= pad, hi_y += pad;
  double w = kWidth - kLeft - kRight, h = kHeight - kTop - kBottom;
  auto sx = [&](double x) { return x0 + kLeft + (x - lo_x) / (hi_x - lo_x) * w; };
  auto sy = [&](double y) { return kTop + (hi_y - ty(y)) / (hi_y - lo_y) * h; };

  o << "<text x='" << x0 + kWidth / 2 << "' y='20' text-anchor='middle' font-size='14'>"
    << escape(p.title) << "</text>\n";
  o << "<rect x='" << x0 + kLeft << "' y='" << kTop << "' width='" << w << "' height='" << h
    << "' fill='none' stroke='#444'/>\n";
  for (double y : ticks(lo_y, hi_y, p.log_y)) {
    o << "<line x1='" << x0 + kLeft << "' x2='" << x0 + kLeft + w << "' y1='" << sy(y)
      << "' y2='" << sy(y) << "' stroke='#ddd'/>\n";
    o << "<text x='" << x0 + kLeft - 6 << "' y='" << sy(y) + 4
      << "' text-anchor='end' font-size='11'>" << num(y) << "</text>\n";
  }
  for (double x : ticks(lo_x, hi_x, false, 1))  // x counts epochs: whole ticks only
    o << "<text x='" << sx(x) << "' y='" << kTop + h + 16
      << "' text-anchor='middle' font-size='11'>" << num(x) << "</text>\n";
  o << "<text x='" << x0 + kLeft + w / 2 << "' y='" << kHeight - 10
    << "' text-anchor='middle' font-size='12'>" << escape(p.x_label) << "</text>\n";
  o << "<text transform='translate(" << x0 + 14 << "," << kTop + h / 2
    << ") rotate(-90)' text-anchor='middle' font-size='12'>" << escape(p.y_label)
    << "</text>\n";
  double legend_y = kHeight + kLegendRow / 2;  // below the axes: never over the data
  for (const Series& s : p.series) {
    std::string dash = s.dash.empty() ? "" : " stroke-dasharray='" + s.dash + "'";
    o << "<polyline fill='none' stroke='" << s.color << "' stroke-width='2'" << dash
      << " points='";
    for (auto [x, y] : s.xy)
      if (drawable(x, y)) o << sx(x) << "," << sy(y) << " ";
    o << "'/>\n";
    double lx = x0 + kLeft;
    o << "<line x1='" << lx << "' x2='" << lx + 24 << "' y1='" << legend_y - 4 << "' y2='"
      << legend_y - 4 << "' stroke='" << s.color << "' stroke-width='2'" << dash << "/>\n";
    o << "<text x='" << lx + 30 << "' y='" << legend_y << "' font-size='11'>" << escape(s.label)
      << "</text>\n";
    legend_y += kLegendRow;
  }
}

}  // namespace

void write_svg(const std::string& path, const std::vector<Panel>& panels) {
  std::ostringstream o;
  double total = kWidth * static_cast<double>(std::max<size_t>(panels.size(), 1));
  size_t rows = 0;
  for (const Panel& p : panels) rows = std::max(rows, p.series.size());
  double height = kHeight + kLegendRow * static_cast<double>(rows) + 8;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << total << "' height='" << height
    << "' font-family='sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n";
  for (size_t i = 0; i < panels.size(); ++i) panel_svg(o, panels[i], kWidth * i);
  o << "</svg>\n";
  write_file_atomic("plot", path, o.str());
}

}  // namespace lathe::cli

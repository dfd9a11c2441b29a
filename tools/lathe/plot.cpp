// SVG line charts (tools/lathe/plot.h): one 480 x 320 panel per chart, linear axes with
// "nice" ticks (1, 2, 5 x 10^k steps).
#include "tools/lathe/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.h"

namespace lathe::cli {

namespace {

constexpr double kWidth = 480, kHeight = 320;
constexpr double kLeft = 60, kRight = 20, kTop = 36, kBottom = 48;

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
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// A tick step of 1, 2 or 5 x 10^k giving about `count` ticks over [lo, hi].
double tick_step(double lo, double hi, int count) {
  double raw = (hi - lo) / count, mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

void panel_svg(std::ostringstream& o, const Panel& p, double x0) {
  double lo_x = std::numeric_limits<double>::infinity(), hi_x = -lo_x, lo_y = lo_x, hi_y = -lo_x;
  for (const Series& s : p.series)
    for (auto [x, y] : s.xy) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      lo_x = std::min(lo_x, x), hi_x = std::max(hi_x, x);
      lo_y = std::min(lo_y, y), hi_y = std::max(hi_y, y);
    }
  if (!std::isfinite(lo_x)) lo_x = 0, hi_x = 1, lo_y = 0, hi_y = 1;
  if (hi_x == lo_x) hi_x = lo_x + 1;
  if (hi_y == lo_y) hi_y = lo_y + 1;
  double pad = (hi_y - lo_y) * 0.05;
  lo_y -= pad, hi_y += pad;
  double w = kWidth - kLeft - kRight, h = kHeight - kTop - kBottom;
  auto sx = [&](double x) { return x0 + kLeft + (x - lo_x) / (hi_x - lo_x) * w; };
  auto sy = [&](double y) { return kTop + (hi_y - y) / (hi_y - lo_y) * h; };

  o << "<text x='" << x0 + kWidth / 2 << "' y='20' text-anchor='middle' font-size='14'>"
    << escape(p.title) << "</text>\n";
  o << "<rect x='" << x0 + kLeft << "' y='" << kTop << "' width='" << w << "' height='" << h
    << "' fill='none' stroke='#444'/>\n";
  double ys = tick_step(lo_y, hi_y, 5);
  for (double y = std::ceil(lo_y / ys) * ys; y <= hi_y; y += ys) {
    o << "<line x1='" << x0 + kLeft << "' x2='" << x0 + kLeft + w << "' y1='" << sy(y)
      << "' y2='" << sy(y) << "' stroke='#ddd'/>\n";
    o << "<text x='" << x0 + kLeft - 6 << "' y='" << sy(y) + 4
      << "' text-anchor='end' font-size='11'>" << num(y) << "</text>\n";
  }
  double xs = tick_step(lo_x, hi_x, 6);
  for (double x = std::ceil(lo_x / xs) * xs; x <= hi_x + 1e-9; x += xs)
    o << "<text x='" << sx(x) << "' y='" << kTop + h + 16
      << "' text-anchor='middle' font-size='11'>" << num(x) << "</text>\n";
  o << "<text x='" << x0 + kLeft + w / 2 << "' y='" << kHeight - 10
    << "' text-anchor='middle' font-size='12'>" << escape(p.x_label) << "</text>\n";
  o << "<text transform='translate(" << x0 + 14 << "," << kTop + h / 2
    << ") rotate(-90)' text-anchor='middle' font-size='12'>" << escape(p.y_label)
    << "</text>\n";
  double legend_y = kTop + 14;
  for (const Series& s : p.series) {
    std::string dash = s.dashed ? " stroke-dasharray='6 4'" : "";
    o << "<polyline fill='none' stroke='" << s.color << "' stroke-width='2'" << dash
      << " points='";
    for (auto [x, y] : s.xy)
      if (std::isfinite(x) && std::isfinite(y)) o << sx(x) << "," << sy(y) << " ";
    o << "'/>\n";
    double lx = x0 + kLeft + w - 150;
    o << "<line x1='" << lx << "' x2='" << lx + 24 << "' y1='" << legend_y - 4 << "' y2='"
      << legend_y - 4 << "' stroke='" << s.color << "' stroke-width='2'" << dash << "/>\n";
    o << "<text x='" << lx + 30 << "' y='" << legend_y << "' font-size='11'>" << escape(s.label)
      << "</text>\n";
    legend_y += 16;
  }
}

}  // namespace

void write_svg(const std::string& path, const std::vector<Panel>& panels) {
  std::ostringstream o;
  double total = kWidth * static_cast<double>(std::max<size_t>(panels.size(), 1));
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << total << "' height='" << kHeight
    << "' font-family='sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n";
  for (size_t i = 0; i < panels.size(); ++i) panel_svg(o, panels[i], kWidth * i);
  o << "</svg>\n";
  std::ofstream f(path);
  f << o.str();
  LATHE_CHECK(f.good(), "[plot] cannot write ", path);
}

}  // namespace lathe::cli

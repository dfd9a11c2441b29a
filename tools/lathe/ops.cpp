// `lathe ops`: every registered op with its metadata; --json for tools (schema in
// tools/README.md); --markdown for the op reference, whose pages docs/ops-*.md are generated
// here (`lathe ops --docs docs`) below a hand-written head that is kept verbatim.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/registry.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

namespace {

// The pages of the op reference and the families each one holds, in this order.
struct DocPage {
  const char* name;  // docs/ops-<name>.md
  const char* title;
  std::vector<std::string> families;
};
const std::vector<DocPage>& doc_pages() {
  static const std::vector<DocPage> pages = {
      {"core", "Core ops", {"prim", "nn"}},
      {"norm", "Normalization ops", {"normalization"}},
      {"kan", "KAN ops", {"kan"}},
      {"linalg", "Linear algebra and FFT ops", {"linalg", "fft"}},
      {"layers",
       "Activations, layers, reparameterizations, gradient, hyperbolic and other ops",
       {"activation", "layer", "reparam", "grad", "quant", "hyperbolic", "other"}},
      {"metrics", "Metrics", {"metric"}},
      // Every loss family of the catalog, listed before its first op lands (a family with no
      // op yet is left off the page).
      {"losses",
       "Losses",
       {"classification", "lm", "calibration", "robust", "ranking", "regression",
        "metric_learning", "contrastive", "face", "segmentation", "divergence", "entropy",
        "regularizer", "generative", "distillation", "rl_alignment"}},
  };
  return pages;
}

// The line that ends a page's hand-written head; everything after it is generated.
const char* const kGeneratedMarker =
    "<!-- Generated from the op registry by `lathe ops --docs docs`: edit the registration "
    "blocks (and the text above this line), not below. -->";

nlohmann::json attr_json(const AttrValue& v) {
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) {
    if (std::isinf(*p)) return *p > 0 ? "inf" : "-inf";
    return *p;
  }
  if (auto p = std::get_if<bool>(&v)) return *p;
  if (auto p = std::get_if<std::string>(&v)) return *p;
  return std::get<std::vector<int64_t>>(v);
}

nlohmann::json op_json(const OpDef& d) {
  nlohmann::json j;
  j["name"] = d.name();
  j["family"] = d.family();
  j["summary"] = d.summary_text();
  j["paper"] = d.paper_text();
  j["inputs"] = nlohmann::json::array();
  for (const InputDef& in : d.inputs())
    j["inputs"].push_back({{"name", in.name},
                           {"kind", kind_name(in.kind)},
                           {"differentiable", in.differentiable},
                           {"optional", in.optional},
                           {"variadic", in.variadic},
                           {"in_options", in.in_options}});
  j["attrs"] = nlohmann::json::array();
  for (const AttrDef& a : d.attrs())
    j["attrs"].push_back({{"name", a.name},
                          {"type", attr_type_name(a.type)},
                          {"default", attr_json(a.default_value)},
                          {"doc", a.doc}});
  j["outputs"] = nlohmann::json::array();
  for (const OutputDef& o : d.outputs())
    j["outputs"].push_back({{"name", o.name}, {"kind", kind_name(o.kind)}});
  j["state"] = d.states();
  j["custom_backward"] = d.custom_backward_note();
  j["own_reduction"] = d.own_reduction_note();
  return j;
}

void print_table(const std::vector<const OpDef*>& defs) {
  size_t width = 4;
  for (const OpDef* d : defs) width = std::max(width, d->name().size());
  for (const OpDef* d : defs) {
    std::string sig;
    for (const InputDef& in : d->inputs())
      sig += (sig.empty() ? "" : ", ") + in.name + (in.variadic ? "..." : "") +
             (in.optional ? "?" : "");
    for (const AttrDef& a : d->attrs())
      sig += ", " + a.name + "=" + attr_to_string(a.default_value);
    std::cout << d->name() << std::string(width + 2 - d->name().size(), ' ') << d->family()
              << std::string(d->family().size() < 6 ? 6 - d->family().size() : 1, ' ') << " ("
              << sig << ")  " << d->summary_text() << "\n";
  }
}

// ---- markdown ----

// A default as the JSON writes it (shortest round trip for floats), strings quoted, but an
// infinite bound as plain inf / -inf.
std::string default_text(const AttrValue& v) {
  auto p = std::get_if<double>(&v);
  if (p && std::isinf(*p)) return *p > 0 ? "inf" : "-inf";
  return attr_json(v).dump();
}

// A table cell: a '|' would end the cell.
std::string cell(const std::string& text) {
  std::string out;
  for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

// "weight (float, optional, no grad)"; a plain differentiable float input is just its name.
std::string input_text(const OpDef& d, const InputDef& in) {
  std::vector<std::string> notes;
  if (in.kind != Kind::floating) notes.push_back(kind_name(in.kind));
  if (in.variadic) notes.push_back("variadic");
  if (in.optional) notes.push_back("optional");
  if (d.is_state(in.name)) notes.push_back("state");
  else if (in.kind == Kind::floating && !in.differentiable) notes.push_back("no grad");
  std::string s = in.name;
  for (size_t i = 0; i < notes.size(); ++i) s += (i ? ", " : " (") + notes[i];
  return notes.empty() ? s : s + ")";
}

std::string output_text(const OpDef& d, const OutputDef& o) {
  std::string s = o.name;
  if (o.kind != Kind::floating) s += std::string(" (") + kind_name(o.kind) + ")";
  if (d.is_state(o.name)) s += " (state)";
  return s;
}

void markdown_op_row(std::ostream& os, const OpDef& d) {
  std::string ins, attrs, outs;
  for (const InputDef& in : d.inputs()) ins += (ins.empty() ? "" : ", ") + input_text(d, in);
  for (const AttrDef& a : d.attrs())
    attrs += (attrs.empty() ? "" : ", ") + a.name + " (" + default_text(a.default_value) + ")";
  for (const OutputDef& o : d.outputs()) outs += (outs.empty() ? "" : ", ") + output_text(d, o);
  os << "| " << d.name() << " | " << cell(ins) << " | " << cell(attrs) << " | " << cell(outs)
     << " | " << cell(d.summary_text()) << " |\n";
}

// The section of an op whose table row does not say everything (paper, attribute docs, a
// custom backward).
void markdown_op_details(std::ostream& os, const OpDef& d) {
  if (d.paper_text().empty() && d.attrs().empty() && d.custom_backward_note().empty() &&
      d.own_reduction_note().empty())
    return;
  os << "\n### " << d.name() << "\n\n" << d.summary_text() << "\n\n";
  if (!d.paper_text().empty()) os << "Paper: " << d.paper_text() << "\n\n";
  os << "- inputs:";
  for (size_t i = 0; i < d.inputs().size(); ++i)
    os << (i ? ", `" : " `") << d.inputs()[i].name << "`"
       << input_text(d, d.inputs()[i]).substr(d.inputs()[i].name.size());
  if (d.inputs().empty()) os << " none";
  os << "\n";
  if (!d.attrs().empty()) {
    os << "- attributes:\n";
    for (const AttrDef& a : d.attrs())
      os << "  - `" << a.name << "` (" << attr_type_name(a.type) << ", default "
         << default_text(a.default_value) << "): " << a.doc << "\n";
  }
  os << "- outputs:";
  for (size_t i = 0; i < d.outputs().size(); ++i)
    os << (i ? ", `" : " `") << d.outputs()[i].name << "`"
       << output_text(d, d.outputs()[i]).substr(d.outputs()[i].name.size());
  os << "\n";
  if (!d.custom_backward_note().empty())
    os << "- custom backward: " << d.custom_backward_note() << "\n";
  if (!d.own_reduction_note().empty())
    os << "- reduction: " << d.own_reduction_note() << "\n";
}

bool family_has_ops(const std::string& family) {
  for (const OpDef* d : op_registry().all())
    if (d->family() == family) return true;
  return false;
}

// One family: a summary table (the first cell of each row is the op name, which
// tools/oracle/*.py read), then a section per op that has more to say.
void markdown_family(std::ostream& os, const std::string& family) {
  std::vector<const OpDef*> defs;
  for (const OpDef* d : op_registry().all())
    if (d->family() == family) defs.push_back(d);
  LATHE_CHECK(!defs.empty(), "[ops] no op in family '", family, "'");
  os << "\n## Family `" << family << "`\n\n";
  os << "| op | inputs | attributes (default) | outputs | summary |\n";
  os << "|---|---|---|---|---|\n";
  for (const OpDef* d : defs) markdown_op_row(os, *d);
  for (const OpDef* d : defs) markdown_op_details(os, *d);
}

const DocPage& find_page(const std::string& name) {
  std::string names;
  for (const DocPage& p : doc_pages()) {
    if (p.name == name) return p;
    names += std::string(names.empty() ? "" : ", ") + p.name;
  }
  LATHE_FAIL("[ops] no docs page '", name, "' (pages: ", names, ")");
}

// The generated part of a page, starting with the marker line.
std::string markdown_page(const DocPage& page) {
  std::ostringstream os;
  os << kGeneratedMarker << "\n";
  for (const std::string& f : page.families)
    if (family_has_ops(f)) markdown_family(os, f);
  return os.str();
}

// Every family of the registry is on exactly one page (a new family must pick one).
void check_pages_cover_registry() {
  for (const OpDef* d : op_registry().all()) {
    int pages = 0;
    for (const DocPage& p : doc_pages())
      pages += std::count(p.families.begin(), p.families.end(), d->family());
    LATHE_CHECK(pages == 1, "[ops] family '", d->family(), "' (op ", d->name(), ") is on ",
                pages, " docs pages; list it once in doc_pages() in tools/lathe/ops.cpp");
  }
}

// Rewrites DIR/ops-<page>.md for every page, keeping the head above the marker (a new page
// gets its title as its head).
void write_docs(const std::string& dir) {
  check_pages_cover_registry();
  for (const DocPage& page : doc_pages()) {
    std::string path = dir + "/ops-" + page.name + ".md";
    std::string head = std::string("# ") + page.title + "\n\n";
    if (std::ifstream in{path}) {
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      size_t at = text.find(kGeneratedMarker);
      LATHE_CHECK(at != std::string::npos, "[ops] ", path, " has no generated-part marker; ",
                  "put this line after its hand-written head: ", kGeneratedMarker);
      head = text.substr(0, at);
    }
    std::ofstream out(path);
    LATHE_CHECK(out.good(), "[ops] cannot write ", path);
    out << head << markdown_page(page);
    LATHE_CHECK(out.good(), "[ops] writing ", path, " failed");
    std::cout << "wrote " << path << "\n";
  }
}

}  // namespace

void add_ops(CLI::App& app) {
  auto* cmd = app.add_subcommand("ops", "List every registered op with its metadata");
  cmd->footer(
      "Example: lathe ops --family prim\n         lathe ops --json > ops.json\n"
      "         lathe ops --markdown --page losses\n"
      "         lathe ops --docs docs   (regenerates docs/ops-*.md below their heads)");
  auto family = std::make_shared<std::string>();
  auto page = std::make_shared<std::string>();
  auto docs = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto markdown = std::make_shared<bool>(false);
  cmd->add_option("--family", *family, "Only ops of this family (prim, nn, ...)");
  cmd->add_flag("--json", *json, "Machine-readable output (schema: tools/README.md)");
  cmd->add_flag("--markdown", *markdown, "The op reference in Markdown")->excludes("--json");
  cmd->add_option("--page", *page, "With --markdown: the generated part of docs/ops-PAGE.md");
  cmd->add_option("--docs", *docs, "Rewrite the generated part of DIR/ops-*.md");
  cmd->callback([family, page, docs, json, markdown] {
    LATHE_CHECK(page->empty() || *markdown, "[ops] --page needs --markdown");
    LATHE_CHECK(page->empty() || family->empty(), "[ops] give --page or --family, not both");
    if (!family->empty()) {
      std::set<std::string> families;
      for (const OpDef* d : op_registry().all()) families.insert(d->family());
      std::string known;
      for (const std::string& f : families) known += (known.empty() ? "" : ", ") + f;
      LATHE_CHECK(families.count(*family), "[ops] no op in family '", *family,
                  "'; the families are: ", known);
    }
    if (!docs->empty()) return write_docs(*docs);
    if (*markdown && !page->empty()) {
      check_pages_cover_registry();
      std::cout << markdown_page(find_page(*page));
      return;
    }
    if (*markdown && family->empty()) {
      check_pages_cover_registry();
      for (const DocPage& p : doc_pages()) std::cout << markdown_page(p);
      return;
    }
    if (*markdown) return markdown_family(std::cout, *family);
    std::vector<const OpDef*> defs;
    for (const OpDef* d : op_registry().all())
      if (family->empty() || d->family() == *family) defs.push_back(d);
    LATHE_CHECK(!defs.empty(), "[ops] no op in family '", *family, "'");
    if (*json) {
      nlohmann::json out;
      out["schema"] = 1;
      out["ops"] = nlohmann::json::array();
      for (const OpDef* d : defs) out["ops"].push_back(op_json(*d));
      std::cout << out.dump(1) << "\n";
    } else {
      print_table(defs);
    }
  });
}

}  // namespace lathe::cli

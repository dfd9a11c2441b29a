// einsum, as torch.einsum (PyTorch 1.13): y[out labels] = sum over the other labels of the
// product of the operands, each indexed by its subscripts. Letters a-z and A-Z are labels;
// "..." stands for the leading dims an operand has beyond its letters, right-aligned across
// operands and broadcast; without "->" the output is "..." then the letters seen exactly once,
// sorted (uppercase first, as PyTorch). A size-1 dim broadcasts against the same label's size
// elsewhere. Lowering (torch.einsum's own strategy without opt_einsum):
//   1. a label repeated within one operand takes that diagonal (diagonal; "ii->i", "ii");
//   2. a label in one operand only, absent from the output, is summed out at once;
//   3. the operands are contracted left to right: labels in both that are still needed (by the
//      output or a later operand) are batch dims, the others are contracted by one batched
//      matmul [B, M, K] x [B, K, N];
//   4. a permute puts the result in output order.
// Every step is a public differentiable op, so backward and double backward come from
// autograd.
#include <algorithm>
#include <map>
#include <set>

#include "ops/composite.h"
#include "ops/nn/resample.h"

namespace lathe {

namespace {

using Labels = std::vector<int>;
constexpr int kEllipsisLabel = 256;  // ellipsis dim j (of the widest) is label 256 + j

std::string label_text(int label) {
  if (label >= kEllipsisLabel) return "... dim " + std::to_string(label - kEllipsisLabel);
  return std::string("'") + static_cast<char>(label) + "'";
}

struct Term {
  Labels letters_before, letters_after;  // around "..."
  bool ellipsis = false;
};

Term parse_term(const std::string& equation, const std::string& text) {
  Term t;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == ' ') continue;
    if (ch == '.') {
      LATHE_CHECK(!t.ellipsis && text.compare(i, 3, "...") == 0, "[einsum] equation '",
                  equation, "': '.' only as one \"...\" per term, in '", text, "'");
      t.ellipsis = true;
      i += 2;
      continue;
    }
    LATHE_CHECK((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'), "[einsum] equation '",
                equation, "': subscripts are letters a-z, A-Z and \"...\", got '", ch, "'");
    (t.ellipsis ? t.letters_after : t.letters_before).push_back(ch);
  }
  return t;
}

Labels expand_term(const Term& t, int64_t ellipsis_dims, int64_t widest) {
  Labels l = t.letters_before;
  for (int64_t j = widest - ellipsis_dims; j < widest; ++j)
    l.push_back(kEllipsisLabel + static_cast<int>(j));
  l.insert(l.end(), t.letters_after.begin(), t.letters_after.end());
  return l;
}

Axes positions_of(const Labels& have, const Labels& want) {
  Axes axes;
  for (int label : want)
    axes.push_back(std::find(have.begin(), have.end(), label) - have.begin());
  return axes;
}

// t with its dims reordered to `groups` concatenated and each group flattened into one dim.
Tensor grouped(const Tensor& t, const Labels& labels, const std::vector<Labels>& groups,
               const std::map<int, int64_t>& size) {
  Labels order;
  Shape shape;
  for (const Labels& g : groups) {
    int64_t n = 1;
    for (int label : g) n *= size.at(label);
    order.insert(order.end(), g.begin(), g.end());
    shape.push_back(n);
  }
  return reshape(permute(t, positions_of(labels, order)), shape);
}

bool contains(const Labels& l, int label) {
  return std::find(l.begin(), l.end(), label) != l.end();
}

}  // namespace

Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands) {
  LATHE_CHECK(!operands.empty(), "[einsum] needs at least one operand");
  for (const Tensor& t : operands) {
    check_floating("einsum", "operand", t);
    LATHE_CHECK(t.dtype() == operands[0].dtype(), "[einsum] operands must share one dtype, got ",
                operands[0].dtype(), " and ", t.dtype());
  }
  size_t arrow = equation.find("->");
  std::string lhs = equation.substr(0, arrow);
  std::vector<Term> terms;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    terms.push_back(parse_term(equation, lhs.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  LATHE_CHECK(terms.size() == operands.size(), "[einsum] equation '", equation, "' has ",
              terms.size(), " operand terms but ", operands.size(), " operands were given");

  // Labels of every operand, with "..." expanded right-aligned to the widest ellipsis.
  std::vector<int64_t> ellipsis_dims(terms.size(), 0);
  int64_t widest = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    int64_t letters = terms[i].letters_before.size() + terms[i].letters_after.size();
    int64_t dims = operands[i].dim();
    LATHE_CHECK(terms[i].ellipsis ? dims >= letters : dims == letters, "[einsum] equation '",
                equation, "': operand ", i, " ", operands[i].shape(), " has ", dims,
                " dims but its subscripts name ", letters, terms[i].ellipsis ? " or more" : "");
    if (terms[i].ellipsis) ellipsis_dims[i] = dims - letters;
    widest = std::max(widest, ellipsis_dims[i]);
  }
  std::vector<Labels> labels;
  std::map<int, int64_t> size;
  std::map<int, int> seen;
  for (size_t i = 0; i < terms.size(); ++i) {
    labels.push_back(expand_term(terms[i], ellipsis_dims[i], widest));
    for (size_t k = 0; k < labels[i].size(); ++k) {
      int label = labels[i][k];
      int64_t n = operands[i].shape()[k];
      ++seen[label];
      auto it = size.find(label);
      if (it == size.end() || it->second == 1) {
        size[label] = n;
      } else {
        LATHE_CHECK(n == 1 || n == it->second, "[einsum] equation '", equation, "': label ",
                    label_text(label), " has sizes ", it->second, " and ", n,
                    " (operand ", i, " ", operands[i].shape(), ")");
      }
    }
  }

  Labels out;
  if (arrow == std::string::npos) {
    for (int64_t j = 0; j < widest; ++j) out.push_back(kEllipsisLabel + static_cast<int>(j));
    for (const auto& [label, count] : seen)
      if (label < kEllipsisLabel && count == 1) out.push_back(label);
  } else {
    Term t = parse_term(equation, equation.substr(arrow + 2));
    out = expand_term(t, t.ellipsis ? widest : 0, widest);
    for (size_t k = 0; k < out.size(); ++k) {
      LATHE_CHECK(seen.count(out[k]), "[einsum] equation '", equation, "': output label ",
                  label_text(out[k]), " appears in no operand");
      LATHE_CHECK(std::count(out.begin(), out.end(), out[k]) == 1, "[einsum] equation '",
                  equation, "': output label ", label_text(out[k]), " appears more than once");
    }
  }

  std::vector<Tensor> ts;
  for (size_t i = 0; i < operands.size(); ++i) {
    Tensor t = operands[i];
    Labels& l = labels[i];
    // Size-1 dims broadcast to their label's size (a view; autograd sums the gradient back).
    Shape full;
    for (int label : l) full.push_back(size[label]);
    if (full != t.shape()) t = expand(t, full);
    // 1. Repeated labels: their diagonal moves to the last dim.
    for (size_t p = 0; p < l.size(); ++p) {
      auto q = std::find(l.begin() + p + 1, l.end(), l[p]);
      if (q == l.end()) continue;
      int label = l[p];
      t = diagonal(t, 0, static_cast<int64_t>(p), q - l.begin());
      l.erase(q);
      l.erase(l.begin() + p);
      l.push_back(label);
      p = static_cast<size_t>(-1);  // rescan: the shortened list may hold another pair
    }
    // 2. Labels no other operand and not the output need.
    Axes lone;
    Labels kept;
    for (size_t k = 0; k < l.size(); ++k) {
      bool elsewhere = contains(out, l[k]);
      for (size_t j = 0; j < labels.size() && !elsewhere; ++j)
        elsewhere = j != i && contains(labels[j], l[k]);
      if (elsewhere) {
        kept.push_back(l[k]);
      } else {
        lone.push_back(static_cast<int64_t>(k));
      }
    }
    if (!lone.empty()) t = sum(t, lone);
    l = kept;
    ts.push_back(t);
  }

  // 3. Left-to-right contraction.
  Tensor acc = ts[0];
  Labels acc_labels = labels[0];
  for (size_t k = 1; k < ts.size(); ++k) {
    Labels needed = out;
    for (size_t j = k + 1; j < labels.size(); ++j)
      needed.insert(needed.end(), labels[j].begin(), labels[j].end());
    Labels batch, contracted, a_only, b_only;
    for (int label : acc_labels) {
      if (!contains(labels[k], label)) {
        a_only.push_back(label);
      } else if (contains(needed, label)) {
        batch.push_back(label);
      } else {
        contracted.push_back(label);
      }
    }
    for (int label : labels[k])
      if (!contains(acc_labels, label)) b_only.push_back(label);
    Tensor a = grouped(acc, acc_labels, {batch, a_only, contracted}, size);   // [B, M, K]
    Tensor b = grouped(ts[k], labels[k], {batch, contracted, b_only}, size);  // [B, K, N]
    Labels result = batch;
    result.insert(result.end(), a_only.begin(), a_only.end());
    result.insert(result.end(), b_only.begin(), b_only.end());
    Shape shape;
    for (int label : result) shape.push_back(size[label]);
    acc = reshape(matmul(a, b), shape);  // [*batch, *a_only, *b_only]
    acc_labels = result;
  }
  // 4. Output order (a single operand may still hold labels the output drops).
  Axes drop;
  Labels kept;
  for (size_t k = 0; k < acc_labels.size(); ++k) {
    if (contains(out, acc_labels[k])) {
      kept.push_back(acc_labels[k]);
    } else {
      drop.push_back(static_cast<int64_t>(k));
    }
  }
  if (!drop.empty()) acc = sum(acc, drop);
  return permute(acc, positions_of(kept, out));
}

LATHE_REGISTER_OPS(einsum) {
  registry.add(OpDef("einsum", "nn")
                   .summary("sums products of the operands over the labels the equation drops "
                            "(torch.einsum)")
                   .input("operands", Kind::floating, kVariadic)
                   .attr("equation", "", "subscripts, e.g. 'bij,bjk->bik', '...ij->...ji', 'ii'")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{einsum(c.s("equation"), c.ins("operands"))};
                   }));
}

}  // namespace lathe

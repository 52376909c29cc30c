#include "regalloc/liveness.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {
namespace {

// Stable counting sort of (key, value) pairs by key into CSR form.
void ToCsr(const std::vector<std::pair<uint32_t, uint32_t>>& pairs, uint32_t num_keys,
           std::vector<uint32_t>* begin, std::vector<uint32_t>* values, std::vector<uint32_t>* pos) {
  begin->assign(num_keys + 1, 0);
  for (const auto& p : pairs) ++(*begin)[p.first + 1];
  for (uint32_t k = 0; k < num_keys; ++k) (*begin)[k + 1] += (*begin)[k];
  values->resize(pairs.size());
  pos->assign(begin->begin(), begin->end() - 1);
  for (const auto& p : pairs) (*values)[(*pos)[p.first]++] = p.second;
}

}  // namespace

absl::Status Liveness::Compute(const Function& fn, const Validator& checked) {
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  const uint32_t nv = fn.num_vregs;
  // Group by vreg (counting sort), then explore paths backwards per vreg.
  std::vector<uint32_t>& exp_begin = exp_begin_;
  std::vector<uint32_t>& exp_blocks = exp_blocks_;
  ToCsr(checked.exposed(), nv, &exp_begin, &exp_blocks, &counts_);
  in_mark_.assign(nb, kNone);
  out_mark_.assign(nb, kNone);
  in_pairs_.clear();
  out_pairs_.clear();
  for (uint32_t v = 0; v < nv; ++v) {
    if (exp_begin[v] == exp_begin[v + 1]) continue;
    worklist_.clear();
    for (uint32_t e = exp_begin[v]; e < exp_begin[v + 1]; ++e) {
      const uint32_t b = exp_blocks[e];
      if (in_mark_[b] != v) {
        in_mark_[b] = v;
        worklist_.push_back(b);
      }
    }
    while (!worklist_.empty()) {
      const uint32_t b = worklist_.back();
      worklist_.pop_back();
      if (b == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "v", v, " is used but not defined on every path from the entry (not SSA, or a use without a def)"));
      }
      in_pairs_.push_back({b, v});
      const Block& bl = fn.blocks[b];
      for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
        const uint32_t pred = fn.preds[p];
        if (out_mark_[pred] != v) {
          out_mark_[pred] = v;
          out_pairs_.push_back({pred, v});
        }
        if (checked.def_block(v) != pred && in_mark_[pred] != v) {
          in_mark_[pred] = v;
          worklist_.push_back(pred);
        }
      }
    }
  }
  // Arguments of multi-successor blocks stay live to the end (their moves are in the successor).
  for (uint32_t b = 0; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    if (bl.succs_end - bl.succs_begin < 2) continue;
    for (uint32_t s = bl.succs_begin; s < bl.succs_end; ++s) {
      for (uint32_t a = fn.edge_args_begin[s]; a < fn.edge_args_begin[s + 1]; ++a) {
        out_pairs_.push_back({b, fn.edge_args[a]});
      }
    }
  }
  ToCsr(in_pairs_, nb, &in_begin_, &in_vregs_, &counts_);
  ToCsr(out_pairs_, nb, &out_begin_, &out_vregs_, &counts_);
  // Deduplicate live-out lists (args may repeat values already live out). Sort each small list.
  {
    uint32_t w = 0;
    std::vector<uint32_t>& new_begin = worklist_;
    new_begin.assign(nb + 1, 0);
    for (uint32_t b = 0; b < nb; ++b) {
      const uint32_t lo = out_begin_[b], hi = out_begin_[b + 1];
      std::sort(out_vregs_.begin() + lo, out_vregs_.begin() + hi);
      new_begin[b] = w;
      for (uint32_t j = lo; j < hi; ++j) {
        if (j == lo || out_vregs_[j] != out_vregs_[j - 1]) out_vregs_[w++] = out_vregs_[j];
      }
    }
    new_begin[nb] = w;
    out_vregs_.resize(w);
    out_begin_.swap(new_begin);
  }

  return absl::OkStatus();
}

}  // namespace lathe::regalloc

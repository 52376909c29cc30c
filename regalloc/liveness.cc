#include "regalloc/liveness.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

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
  in_mark_.resize(nb);
  std::memset(in_mark_.data(), 0xff, nb * sizeof(uint32_t));  // kNone
  in_pairs_.clear();
  hull_.resize(nv);
  for (uint32_t v = 0; v < nv; ++v) {
    if (exp_begin[v] == exp_begin[v + 1]) {
      hull_[v] = {kNone, 0};
      continue;
    }
    worklist_.clear();
    for (uint32_t e = exp_begin[v]; e < exp_begin[v + 1]; ++e) {
      const uint32_t b = exp_blocks[e];
      if (in_mark_[b] != v) {
        in_mark_[b] = v;
        worklist_.push_back(b);
      }
    }
    const uint32_t def_block = checked.def_block(v);
    // The hull is gathered here, where v's blocks are at hand, rather than by a later pass over
    // every live set.
    uint32_t first = kNone, last = 0;
    while (!worklist_.empty()) {
      const uint32_t b = worklist_.back();
      worklist_.pop_back();
      if (b == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "v", v, " is used but not defined on every path from the entry (not SSA, or a use without a def)"));
      }
      in_pairs_.push_back({b, v});
      const Block& bl = fn.blocks[b];
      first = std::min(first, bl.insts_begin);
      last = std::max(last, bl.insts_begin);
      for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
        const uint32_t pred = fn.preds[p];
        const uint32_t term = fn.blocks[pred].insts_end - 1;  // v is live out of every predecessor
        first = std::min(first, term);
        last = std::max(last, term);
        if (pred != def_block && in_mark_[pred] != v) {
          in_mark_[pred] = v;
          worklist_.push_back(pred);
        }
      }
    }
    hull_[v] = {first, last};
  }
  // Vregs were visited in increasing order and the sort is stable: each live-in list is sorted.
  ToCsr(in_pairs_, nb, &in_begin_, &in_vregs_, &counts_);

  // live_out(b) is the union of its successors' live-in sets. With one successor that is the
  // successor's list itself, shared rather than copied. A block with several successors adds its
  // branch arguments (their moves are in the successor) and gets its own sorted list.
  out_vregs_.clear();
  out_begin_.resize(nb + 1);
  out_mark_.resize(nv);
  std::memset(out_mark_.data(), 0xff, nv * sizeof(uint32_t));
  for (uint32_t b = 0; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    out_begin_[b] = static_cast<uint32_t>(out_vregs_.size());
    if (bl.succs_end - bl.succs_begin < 2) continue;
    const size_t first = out_vregs_.size();
    auto add = [&](uint32_t v) {
      if (out_mark_[v] != b) {
        out_mark_[v] = b;
        out_vregs_.push_back(v);
      }
    };
    for (uint32_t s = bl.succs_begin; s < bl.succs_end; ++s) {
      for (uint32_t v : live_in(fn.succs[s])) add(v);
      for (uint32_t a = fn.edge_args_begin[s]; a < fn.edge_args_begin[s + 1]; ++a) {
        const uint32_t v = fn.edge_args[a];
        add(v);
        hull_[v].first = std::min(hull_[v].first, bl.insts_end - 1);
        hull_[v].last = std::max(hull_[v].last, bl.insts_end - 1);
      }
    }
    std::sort(out_vregs_.begin() + static_cast<std::ptrdiff_t>(first), out_vregs_.end());
  }
  out_begin_[nb] = static_cast<uint32_t>(out_vregs_.size());
  out_.resize(nb);
  for (uint32_t b = 0; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    if (bl.succs_end - bl.succs_begin == 1) {
      out_[b] = live_in(fn.succs[bl.succs_begin]);
    } else {
      out_[b] = absl::MakeConstSpan(out_vregs_).subspan(out_begin_[b], out_begin_[b + 1] - out_begin_[b]);
    }
  }

  return absl::OkStatus();
}

}  // namespace lathe::regalloc

// Liveness of vregs at block boundaries, for validated SSA input.
//
// Computed by path exploration from each upward-exposed use (recorded by the validator) back to
// the definition, so the cost is proportional to the size of the live sets, not blocks x vregs.
// live_out(b) holds the values live at the end of b that its successors need (the union of their
// live-in sets; a single successor's list is shared, not copied), plus b's branch arguments when
// b has several successors (their moves happen at the successor's start). A use of a value that is not defined
// on every path from the entry is reported as an error (this is the SSA dominance check).
// The object is reusable across functions; Compute() keeps its buffers.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "regalloc/function.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {

class Liveness {
 public:
  // `checked` has validated fn with record_exposed.
  absl::Status Compute(const Function& fn, const Validator& checked);

  // Sorted by vreg.
  absl::Span<const uint32_t> live_in(uint32_t b) const {
    return absl::MakeConstSpan(in_vregs_).subspan(in_begin_[b], in_begin_[b + 1] - in_begin_[b]);
  }
  // Sorted by vreg, like live_in.
  absl::Span<const uint32_t> live_out(uint32_t b) const { return out_[b]; }

  // The first and last instruction at which v is live across a block boundary: the start of a
  // block v is live into, the terminator of a block it is live out of. {kNone, 0} if none.
  struct Hull {
    uint32_t first, last;
  };
  Hull boundary_hull(uint32_t v) const { return hull_[v]; }

  static constexpr uint32_t kNone = 0xffffffffu;

 private:
  std::vector<uint32_t> in_begin_, in_vregs_;
  // Lists of blocks with several successors; the others share their successor's live_in.
  std::vector<uint32_t> out_begin_, out_vregs_;
  std::vector<absl::Span<const uint32_t>> out_;
  std::vector<Hull> hull_;
  // Scratch.
  std::vector<std::pair<uint32_t, uint32_t>> in_pairs_;  // (block, vreg)
  std::vector<uint32_t> counts_, in_mark_, out_mark_, worklist_, exp_begin_, exp_blocks_;
};

}  // namespace lathe::regalloc

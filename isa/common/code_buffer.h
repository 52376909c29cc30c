// A machine-code buffer for one function: labels, branches, label fixups, a constant pool, trap
// records and call relocations.
//
// Contract: labels are created with NewLabel, bound once with Bind, and may be referenced before
// or after binding. Branches (AddBranch) are recorded with their target so that Finish() can
// rewrite them; their encodings come from the target's BranchForms. Finish() runs, in time
// linear in the code size, the branch peepholes below, lays out the code, appends the constant
// pool, patches every reference, and reports an Internal error for a label that was never bound.
// Labels name code: a reference to a label bound at an unconditional branch may be redirected to
// that branch's target. Trap records, relocations and label offsets are rewritten to the final
// layout. The function must be placed at a 16-byte aligned address (the pool's alignment).
//
// Peepholes (each can only shorten the code, so one layout pass suffices):
//   - threading: a reference to a label bound at `jmp L` is redirected to L (chains followed);
//   - an unconditional branch that nothing targets and that follows another unconditional
//     branch is unreachable and removed;
//   - `jcc A; jmp B; A:` becomes `jncc B; A:` when nothing targets the jmp;
//   - a branch to the code right after it is removed;
//   - a branch whose displacement fits 8 bits (measured before shortening, which only brings
//     code closer) takes the short form.
// Fixup fields are relative to the end of the field (x86-64 style, for rel8 and rel32).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "ir/trap_code.h"

namespace lathe::isa {

struct TrapRecord {
  uint32_t offset;  // of the faulting instruction
  ir::TrapCode code;
};

// A 32-bit PC-relative reference to another function of the module (patched by the linker).
struct CallReloc {
  uint32_t offset;  // of the rel32 field
  uint32_t callee;  // an index the module layer understands (ir FuncRef index of the caller)
};

// A target's branch encodings. `cond` is a target condition code, or kAlways.
struct BranchForms {
  static constexpr int kAlways = -1;
  // Writes the opcode bytes (at most 4) of the branch; the displacement field follows them:
  // 1 byte in the short form, 4 in the long form. Returns the number of opcode bytes.
  int (*opcode)(int cond, bool short_form, uint8_t* out);
  int (*invert)(int cond);
};

class CodeBuffer {
 public:
  using Label = uint32_t;
  using Const = uint32_t;

  void Clear();
  // Required before AddBranch; kept across Clear().
  void set_branch_forms(const BranchForms* forms) { forms_ = forms; }
  // Peepholes on (default) or off; kept across Clear().
  void set_optimize_branches(bool on) { optimize_ = on; }

  Label NewLabel();
  void Bind(Label l);
  uint32_t offset() const { return static_cast<uint32_t>(bytes_.size()); }

  void Put1(uint8_t b) { bytes_.push_back(b); }
  void Put2(uint16_t v) { PutN(v, 2); }
  void Put4(uint32_t v) { PutN(v, 4); }
  void Put8(uint64_t v) { PutN(v, 8); }
  // A branch to `l` (long form until Finish decides).
  void AddBranch(int cond, Label l);
  // Writes a placeholder rel32 to be patched with `l - (end of field)`.
  void UseLabelRel32(Label l);
  // A pool constant of 4, 8 or 16 bytes (little-endian `lo` then `hi`); equal constants share
  // one entry.
  Const AddConst(int size, uint64_t lo, uint64_t hi = 0);
  // Writes a placeholder rel32 to be patched with `constant - (end of field)`.
  void UseConstRel32(Const c);
  void AddTrap(ir::TrapCode code) { traps_.push_back({offset(), code}); }
  // Writes a placeholder rel32 for a call to `callee`.
  void AddCallRel32(uint32_t callee);

  absl::Status Finish();

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  // After Finish: the end of the instructions (the constant pool, if any, follows).
  uint32_t code_size() const { return code_size_; }
  const std::vector<TrapRecord>& traps() const { return traps_; }
  const std::vector<CallReloc>& relocs() const { return relocs_; }
  // After Finish: where a jump to `l` lands.
  uint32_t label_offset(Label l) const { return label_offsets_[l]; }

 private:
  void PutN(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  static constexpr uint32_t kUnbound = 0xffffffffu;
  enum class Fate : uint8_t { kLong, kShort, kRemoved };
  struct Branch {
    uint32_t start;
    uint32_t end;  // of the long form as emitted
    int cond;
    Label label;
    Fate fate;
  };
  struct Fixup {
    uint32_t at;
    uint32_t target;  // a Label, or a Const when is_const
    bool is_const;
  };
  absl::Status ResolveLabels();
  void ChooseBranchForms();
  void Relayout();

  const BranchForms* forms_ = nullptr;
  bool optimize_ = true;
  std::vector<uint8_t> bytes_;
  std::vector<uint32_t> label_offsets_;
  std::vector<Branch> branches_;
  std::vector<Fixup> fixups_;
  std::vector<TrapRecord> traps_;
  std::vector<CallReloc> relocs_;
  std::vector<std::string> consts_;  // by Const, raw bytes
  absl::flat_hash_map<std::string, Const> const_ids_;
  uint32_t code_size_ = 0;
  // Finish's scratch, kept to reuse the allocations.
  std::vector<uint32_t> resolved_;        // by label: the offset a jump to it really lands on
  std::vector<int32_t> jump_at_;          // by offset: the unconditional branch starting there
  std::vector<uint8_t> targeted_;         // by offset
  std::vector<uint32_t> map_;             // by old offset: new offset
  std::vector<uint8_t> old_;
};

}  // namespace lathe::isa

// A growable machine-code buffer with labels, rel32 fixups, trap records and call relocations.
//
// Contract: labels are created with NewLabel, bound once with Bind, and may be referenced
// (UseLabelRel32) before or after binding; Finish() patches every reference in one linear pass
// and reports an Internal error for a label that was never bound. Trap records and relocations
// are offsets into the code, in emission order. Rel32 fields are relative to the end of the
// 4-byte field (the x86-64 convention), which is the only reference kind this buffer knows.
#pragma once

#include <cstdint>
#include <vector>

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

class CodeBuffer {
 public:
  using Label = uint32_t;

  void Clear();
  Label NewLabel();
  void Bind(Label l);
  uint32_t offset() const { return static_cast<uint32_t>(bytes_.size()); }

  void Put1(uint8_t b) { bytes_.push_back(b); }
  void Put2(uint16_t v) { PutN(v, 2); }
  void Put4(uint32_t v) { PutN(v, 4); }
  void Put8(uint64_t v) { PutN(v, 8); }
  // Writes a placeholder rel32 to be patched with `l - (end of field)`.
  void UseLabelRel32(Label l);
  void AddTrap(ir::TrapCode code) { traps_.push_back({offset(), code}); }
  // Writes a placeholder rel32 for a call to `callee`.
  void AddCallRel32(uint32_t callee);

  absl::Status Finish();

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  const std::vector<TrapRecord>& traps() const { return traps_; }
  const std::vector<CallReloc>& relocs() const { return relocs_; }

 private:
  void PutN(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  static constexpr uint32_t kUnbound = 0xffffffffu;
  struct Fixup {
    uint32_t at;
    Label label;
  };
  std::vector<uint8_t> bytes_;
  std::vector<uint32_t> label_offsets_;
  std::vector<Fixup> fixups_;
  std::vector<TrapRecord> traps_;
  std::vector<CallReloc> relocs_;
};

}  // namespace lathe::isa

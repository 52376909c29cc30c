#include "isa/common/code_buffer.h"

#include "absl/strings/str_cat.h"

namespace lathe::isa {

void CodeBuffer::Clear() {
  bytes_.clear();
  label_offsets_.clear();
  fixups_.clear();
  traps_.clear();
  relocs_.clear();
}

CodeBuffer::Label CodeBuffer::NewLabel() {
  label_offsets_.push_back(kUnbound);
  return static_cast<Label>(label_offsets_.size() - 1);
}

void CodeBuffer::Bind(Label l) { label_offsets_[l] = offset(); }

void CodeBuffer::UseLabelRel32(Label l) {
  fixups_.push_back({offset(), l});
  Put4(0);
}

void CodeBuffer::AddCallRel32(uint32_t callee) {
  relocs_.push_back({offset(), callee});
  Put4(0);
}

absl::Status CodeBuffer::Finish() {
  for (const Fixup& f : fixups_) {
    uint32_t target = label_offsets_[f.label];
    if (target == kUnbound) return absl::InternalError(absl::StrCat("label ", f.label, " used but never bound"));
    int32_t rel = static_cast<int32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(f.at + 4));
    for (int i = 0; i < 4; ++i) bytes_[f.at + i] = static_cast<uint8_t>(static_cast<uint32_t>(rel) >> (8 * i));
  }
  fixups_.clear();
  return absl::OkStatus();
}

}  // namespace lathe::isa

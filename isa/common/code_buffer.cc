#include "isa/common/code_buffer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace lathe::isa {
namespace {

constexpr uint32_t kCycle = 0xfffffffeu;

void Write(std::vector<uint8_t>* bytes, uint32_t at, int32_t v, int n) {
  for (int i = 0; i < n; ++i) (*bytes)[at + i] = static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * i));
}

}  // namespace

void CodeBuffer::Clear() {
  bytes_.clear();
  label_offsets_.clear();
  branches_.clear();
  fixups_.clear();
  traps_.clear();
  relocs_.clear();
  consts_.clear();
  const_ids_.clear();
  code_size_ = 0;
}

CodeBuffer::Label CodeBuffer::NewLabel() {
  label_offsets_.push_back(kUnbound);
  return static_cast<Label>(label_offsets_.size() - 1);
}

void CodeBuffer::Bind(Label l) { label_offsets_[l] = offset(); }

void CodeBuffer::AddBranch(int cond, Label l) {
  uint8_t op[4];
  int n = forms_ != nullptr ? forms_->opcode(cond, false, op) : 0;
  Branch b{offset(), 0, cond, l, Fate::kLong};
  for (int i = 0; i < n; ++i) Put1(op[i]);
  Put4(0);
  b.end = offset();
  branches_.push_back(b);
}

void CodeBuffer::UseLabelRel32(Label l) {
  fixups_.push_back({offset(), l, false});
  Put4(0);
}

CodeBuffer::Const CodeBuffer::AddConst(int size, uint64_t lo, uint64_t hi) {
  std::string key(static_cast<size_t>(size), '\0');
  for (int i = 0; i < size; ++i) key[i] = static_cast<char>((i < 8 ? lo >> (8 * i) : hi >> (8 * (i - 8))) & 0xff);
  auto [it, inserted] = const_ids_.try_emplace(key, static_cast<Const>(consts_.size()));
  if (inserted) consts_.push_back(std::move(key));
  return it->second;
}

void CodeBuffer::UseConstRel32(Const c) {
  fixups_.push_back({offset(), c, true});
  Put4(0);
}

void CodeBuffer::AddCallRel32(uint32_t callee) {
  relocs_.push_back({offset(), callee});
  Put4(0);
}

// Every referenced label must be bound; resolved_ then says where a jump to each label lands,
// following chains of unconditional branches (a cycle of them keeps its labels in place).
absl::Status CodeBuffer::ResolveLabels() {
  if (!branches_.empty() && forms_ == nullptr) return absl::InternalError("branches added without branch forms");
  for (const Branch& b : branches_) {
    if (label_offsets_[b.label] == kUnbound) return absl::InternalError(absl::StrCat("label ", b.label, " used but never bound"));
  }
  for (const Fixup& f : fixups_) {
    if (!f.is_const && label_offsets_[f.target] == kUnbound) {
      return absl::InternalError(absl::StrCat("label ", f.target, " used but never bound"));
    }
  }
  const size_t n = label_offsets_.size();
  resolved_.assign(label_offsets_.begin(), label_offsets_.end());
  if (!optimize_) return absl::OkStatus();
  jump_at_.assign(bytes_.size() + 1, -1);
  for (size_t i = 0; i < branches_.size(); ++i) {
    if (branches_[i].cond == BranchForms::kAlways) jump_at_[branches_[i].start] = static_cast<int32_t>(i);
  }
  // state: 0 not visited, 1 on the chain being followed, 2 resolved.
  std::vector<uint8_t>& state = targeted_;
  state.assign(n, 0);
  std::vector<Label> chain;
  for (Label l = 0; l < n; ++l) {
    if (state[l] != 0 || label_offsets_[l] == kUnbound) continue;
    chain.clear();
    uint32_t final_offset = kUnbound;
    for (Label cur = l;;) {
      if (state[cur] == 2) {
        final_offset = resolved_[cur];
        break;
      }
      if (state[cur] == 1 || label_offsets_[cur] == kUnbound) {
        final_offset = kCycle;
        break;
      }
      state[cur] = 1;
      chain.push_back(cur);
      int32_t j = jump_at_[label_offsets_[cur]];
      if (j < 0) {
        final_offset = label_offsets_[cur];
        break;
      }
      cur = branches_[j].label;
    }
    for (Label c : chain) {
      state[c] = 2;
      resolved_[c] = final_offset == kCycle ? label_offsets_[c] : final_offset;
    }
  }
  return absl::OkStatus();
}

void CodeBuffer::ChooseBranchForms() {
  targeted_.assign(bytes_.size() + 1, 0);
  targeted_[0] = 1;  // the entry
  for (const Branch& b : branches_) targeted_[resolved_[b.label]] = 1;
  for (const Fixup& f : fixups_) {
    if (!f.is_const) targeted_[resolved_[f.target]] = 1;
  }
  const size_t n = branches_.size();
  // Unreachable: an unconditional branch right after another one, targeted by nothing.
  for (size_t i = 1; i < n; ++i) {
    Branch& b = branches_[i];
    const Branch& prev = branches_[i - 1];
    if (b.cond == BranchForms::kAlways && prev.cond == BranchForms::kAlways && prev.end == b.start && !targeted_[b.start]) {
      b.fate = Fate::kRemoved;
    }
  }
  // Backwards, so that `land` (where execution continues after branch i once the removed
  // branches right after it are gone) is final when branch i is decided.
  uint32_t next_land = 0;
  for (size_t i = n; i-- > 0;) {
    Branch& b = branches_[i];
    uint32_t land = b.end;
    if (i + 1 < n && branches_[i + 1].start == b.end && branches_[i + 1].fate == Fate::kRemoved) land = next_land;
    next_land = land;
    if (b.fate == Fate::kRemoved) continue;
    uint32_t t = resolved_[b.label];
    if (t >= b.end && t <= land) {
      b.fate = Fate::kRemoved;  // to the code right after it
      continue;
    }
    if (b.cond != BranchForms::kAlways || i == 0 || targeted_[b.start]) continue;
    Branch& prev = branches_[i - 1];
    uint32_t pt = resolved_[prev.label];
    if (prev.cond != BranchForms::kAlways && prev.fate != Fate::kRemoved && prev.end == b.start && pt >= b.end &&
        pt <= land) {
      prev.cond = forms_->invert(prev.cond);
      prev.label = b.label;
      b.fate = Fate::kRemoved;
    }
  }
  // Short forms, measured on the layout without the removed branches: shortening only brings
  // code closer together, so a displacement that fits then still fits.
  map_.resize(bytes_.size() + 1);
  uint32_t removed = 0;
  size_t k = 0;
  for (uint32_t o = 0; o <= bytes_.size(); ++o) {
    if (k < n && branches_[k].start == o) {
      const Branch& b = branches_[k++];
      for (uint32_t p = o; p < b.end; ++p) map_[p] = o - removed;
      if (b.fate == Fate::kRemoved) removed += b.end - b.start;
      o = b.end - 1;
      continue;
    }
    map_[o] = o - removed;
  }
  // A backward branch's own shortening brings its end closer to the target; a forward one's
  // moves its end and the target alike.
  for (Branch& b : branches_) {
    if (b.fate == Fate::kRemoved) continue;
    uint8_t op[4];
    const uint32_t t = map_[resolved_[b.label]], start = map_[b.start];
    const uint32_t end = t <= start ? start + forms_->opcode(b.cond, true, op) + 1 : start + (b.end - b.start);
    int64_t disp = static_cast<int64_t>(t) - static_cast<int64_t>(end);
    if (disp >= -128 && disp <= 127) b.fate = Fate::kShort;
  }
}

// Writes the final code: kept branches in their chosen form, then the constant pool; rewrites
// every offset through map_.
void CodeBuffer::Relayout() {
  const size_t n = branches_.size();
  map_.resize(bytes_.size() + 1);
  old_.swap(bytes_);
  bytes_.clear();
  struct Field {
    uint32_t at;
    bool is_short;
    Label label;
  };
  std::vector<Field> fields;
  fields.reserve(n);
  size_t k = 0;
  uint32_t copied = 0;
  auto copy_to = [&](uint32_t end) {
    for (; copied < end; ++copied) {
      map_[copied] = static_cast<uint32_t>(bytes_.size());
      bytes_.push_back(old_[copied]);
    }
  };
  for (; k < n; ++k) {
    const Branch& b = branches_[k];
    copy_to(b.start);
    const uint32_t start = static_cast<uint32_t>(bytes_.size());
    for (uint32_t p = b.start; p < b.end; ++p) map_[p] = start;
    copied = b.end;
    if (b.fate == Fate::kRemoved) continue;
    uint8_t op[4];
    const bool is_short = b.fate == Fate::kShort;
    int len = forms_->opcode(b.cond, is_short, op);
    for (int i = 0; i < len; ++i) bytes_.push_back(op[i]);
    fields.push_back({static_cast<uint32_t>(bytes_.size()), is_short, b.label});
    bytes_.resize(bytes_.size() + (is_short ? 1 : 4), 0);
  }
  copy_to(static_cast<uint32_t>(old_.size()));
  map_[old_.size()] = static_cast<uint32_t>(bytes_.size());
  code_size_ = static_cast<uint32_t>(bytes_.size());

  // The pool: largest constants first, so aligning the start aligns them all.
  std::vector<uint32_t> const_offset(consts_.size(), 0);
  if (!consts_.empty()) {
    size_t largest = 0;
    for (const std::string& c : consts_) largest = std::max(largest, c.size());
    while (bytes_.size() % largest != 0) bytes_.push_back(0xCC);
    for (size_t size : {16, 8, 4}) {
      for (size_t c = 0; c < consts_.size(); ++c) {
        if (consts_[c].size() != size) continue;
        const_offset[c] = static_cast<uint32_t>(bytes_.size());
        bytes_.insert(bytes_.end(), consts_[c].begin(), consts_[c].end());
      }
    }
  }

  for (const Field& f : fields) {
    int32_t disp = static_cast<int32_t>(static_cast<int64_t>(map_[resolved_[f.label]]) -
                                        static_cast<int64_t>(f.at + (f.is_short ? 1 : 4)));
    Write(&bytes_, f.at, disp, f.is_short ? 1 : 4);
  }
  for (const Fixup& f : fixups_) {
    uint32_t at = map_[f.at];
    uint32_t target = f.is_const ? const_offset[f.target] : map_[resolved_[f.target]];
    Write(&bytes_, at, static_cast<int32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(at + 4)), 4);
  }
  for (TrapRecord& t : traps_) t.offset = map_[t.offset];
  for (CallReloc& r : relocs_) r.offset = map_[r.offset];
  for (Label l = 0; l < label_offsets_.size(); ++l) {
    if (label_offsets_[l] != kUnbound) label_offsets_[l] = map_[resolved_[l]];
  }
}

absl::Status CodeBuffer::Finish() {
  absl::Status s = ResolveLabels();
  if (!s.ok()) return s;
  if (optimize_) ChooseBranchForms();
  Relayout();
  branches_.clear();
  fixups_.clear();
  return absl::OkStatus();
}

}  // namespace lathe::isa

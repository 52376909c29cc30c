// A function: name, signature, preamble declarations, data-flow graph and layout, plus the
// per-instruction side tables (source locations, stack maps of calls, debug tags) and the
// comments the text attached to its entities.
#ifndef LATHE_IR_FUNCTION_H_
#define LATHE_IR_FUNCTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "ir/dfg.h"
#include "ir/entities.h"
#include "ir/external_name.h"
#include "ir/layout.h"
#include "ir/preamble.h"
#include "ir/signature.h"

namespace lathe::ir {

// One `stack_map=[type @ ssN+off, ...]` entry of a call.
struct StackMapEntry {
  Type type;
  StackSlot slot;
  uint32_t offset = 0;
};

// One item of a `<...>` debug-tag list: a stack slot or a number.
struct DebugTag {
  bool is_slot = false;
  uint32_t value = 0;
};

// A `;` comment and the entity it follows in the text.
struct Comment {
  enum Attach : uint8_t { kFunction, kPreamble, kBlock, kInst };
  Attach attach = kFunction;
  uint32_t index = 0;  // Block or Inst index for kBlock / kInst
  std::string text;    // including the leading ';'
};

class Function {
 public:
  ExternalName name;
  Signature signature;

  std::vector<StackSlotData> stack_slots;
  std::vector<DynamicTypeData> dynamic_types;
  std::vector<DynamicStackSlotData> dynamic_stack_slots;
  std::vector<GlobalValueData> global_values;
  std::vector<Signature> signatures;
  std::vector<bool> signature_declared;  // false for signatures made from inline `fnN = NAME(...)`
  std::vector<ExtFuncData> ext_funcs;
  std::vector<ConstantData> constants;
  std::vector<MemoryRegionData> memory_regions;
  GlobalValue stack_limit;
  // 128-bit immediates of `shuffle` (InstData::imm indexes this); not part of the preamble.
  std::vector<std::vector<uint8_t>> immediates;

  DataFlowGraph dfg;
  Layout layout;

  static constexpr uint32_t kNoSrcLoc = 0xffffffffu;
  std::vector<uint32_t> srclocs;  // by Inst; kNoSrcLoc where absent
  std::vector<uint32_t> text_lines;  // by Inst: line in the parsed text (absent when built)
  absl::flat_hash_map<uint32_t, std::vector<StackMapEntry>> stack_maps;  // by Inst index
  absl::flat_hash_map<uint32_t, std::vector<DebugTag>> debug_tags;       // by Inst index
  std::vector<Comment> comments;

  uint32_t text_line(Inst i) const { return i.index() < text_lines.size() ? text_lines[i.index()] : 0; }
  uint32_t srcloc(Inst i) const { return i.index() < srclocs.size() ? srclocs[i.index()] : kNoSrcLoc; }
  void set_srcloc(Inst i, uint32_t loc) {
    if (i.index() >= srclocs.size()) srclocs.resize(i.index() + 1, kNoSrcLoc);
    srclocs[i.index()] = loc;
  }

  // Preamble declarations for embedders building functions directly.
  StackSlot CreateStackSlot(uint32_t size, uint8_t align_shift = 0);
  GlobalValue CreateGlobalValue(GlobalValueData data);
  FuncRef ImportFunction(ExternalName name, SigRef signature, bool colocated = false);

  // Adds a constant to the pool, reusing an identical one.
  Constant InternConstant(std::vector<uint8_t> bytes);
  SigRef AddSignature(Signature sig, bool declared);
  Block entry_block() const { return layout.entry_block(); }
};

}  // namespace lathe::ir

#endif  // LATHE_IR_FUNCTION_H_

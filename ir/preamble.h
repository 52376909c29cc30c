// The declarations in a function's preamble, each a table indexed by its entity: stack slots
// (`ssN`), dynamic types (`dtN`) and dynamic stack slots (`dssN`), global values (`gvN`),
// external functions (`fnN`), pool constants (`constN`) and alias regions (`regionN`).
// `declared` is false for index gaps the text never defined (they are not printed).
#ifndef LATHE_IR_PREAMBLE_H_
#define LATHE_IR_PREAMBLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ir/entities.h"
#include "ir/external_name.h"
#include "ir/mem_flags.h"
#include "ir/types.h"

namespace lathe::ir {

struct StackSlotData {
  bool declared = false;
  uint32_t size = 0;
  uint8_t align_shift = 0;
  bool has_key = false;
  uint64_t key = 0;
};

struct DynamicTypeData {
  bool declared = false;
  Type base;  // the fixed vector shape, e.g. i32x4
  GlobalValue scale;
};

struct DynamicStackSlotData {
  bool declared = false;
  DynamicType dyn_type;
};

struct GlobalValueData {
  enum Kind : uint8_t { kVMContext, kLoad, kIAddImm, kSymbol, kDynScaleTargetConst };
  bool declared = false;
  Kind kind = kVMContext;
  GlobalValue base;  // kLoad, kIAddImm
  Type type;         // kLoad, kIAddImm, kDynScaleTargetConst
  int64_t offset = 0;
  MemFlags flags;    // kLoad
  ExternalName name; // kSymbol
  bool colocated = false;
  bool tls = false;
};

struct ExtFuncData {
  bool declared = false;
  ExternalName name;
  SigRef signature;
  bool colocated = false;
  bool patchable = false;
};

struct ConstantData {
  bool declared = false;
  std::vector<uint8_t> bytes;  // little-endian; printed most significant byte first
};

struct MemoryRegionData {
  bool declared = false;
  uint32_t user_id = 0;
  std::string description;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_PREAMBLE_H_

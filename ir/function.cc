#include "ir/function.h"

namespace lathe::ir {

Constant Function::InternConstant(std::vector<uint8_t> bytes) {
  for (size_t i = 0; i < constants.size(); ++i) {
    if (constants[i].declared && constants[i].bytes == bytes) return Constant(static_cast<uint32_t>(i));
  }
  ConstantData d;
  d.declared = true;
  d.bytes = std::move(bytes);
  constants.push_back(std::move(d));
  return Constant(static_cast<uint32_t>(constants.size() - 1));
}

StackSlot Function::CreateStackSlot(uint32_t size, uint8_t align_shift) {
  StackSlotData d;
  d.declared = true;
  d.size = size;
  d.align_shift = align_shift;
  stack_slots.push_back(d);
  return StackSlot(static_cast<uint32_t>(stack_slots.size() - 1));
}

GlobalValue Function::CreateGlobalValue(GlobalValueData data) {
  data.declared = true;
  global_values.push_back(std::move(data));
  return GlobalValue(static_cast<uint32_t>(global_values.size() - 1));
}

FuncRef Function::ImportFunction(ExternalName name, SigRef signature, bool colocated) {
  ExtFuncData d;
  d.declared = true;
  d.name = std::move(name);
  d.signature = signature;
  d.colocated = colocated;
  ext_funcs.push_back(std::move(d));
  return FuncRef(static_cast<uint32_t>(ext_funcs.size() - 1));
}

SigRef Function::AddSignature(Signature sig, bool declared) {
  signatures.push_back(std::move(sig));
  signature_declared.push_back(declared);
  return SigRef(static_cast<uint32_t>(signatures.size() - 1));
}

}  // namespace lathe::ir

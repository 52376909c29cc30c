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

SigRef Function::AddSignature(Signature sig, bool declared) {
  signatures.push_back(std::move(sig));
  signature_declared.push_back(declared);
  return SigRef(static_cast<uint32_t>(signatures.size() - 1));
}

}  // namespace lathe::ir

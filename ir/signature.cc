#include "ir/signature.h"

#include <iterator>

namespace lathe::ir {
namespace {
constexpr const char* kCallConvNames[] = {"fast", "cold", "tail", "system_v", "windows_fastcall",
                                          "apple_aarch64", "probestack", "winch", "preserve_all",
                                          "patchable"};
}  // namespace

const char* Name(CallConv cc) { return kCallConvNames[static_cast<int>(cc)]; }

std::optional<CallConv> CallConvFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kCallConvNames); ++i) {
    if (name == kCallConvNames[i]) return static_cast<CallConv>(i);
  }
  return std::nullopt;
}

std::string AbiParamToString(const AbiParam& p) {
  std::string s = p.type.Name();
  if (p.ext == AbiParam::kUext) s += " uext";
  if (p.ext == AbiParam::kSext) s += " sext";
  if (p.purpose == AbiParam::kSret) s += " sret";
  if (p.purpose == AbiParam::kVmctx) s += " vmctx";
  if (p.purpose == AbiParam::kStructArg) s += " sarg(" + std::to_string(p.struct_size) + ")";
  return s;
}

std::string Signature::ToString() const {
  std::string s = "(";
  for (size_t i = 0; i < params.size(); ++i) {
    if (i) s += ", ";
    s += AbiParamToString(params[i]);
  }
  s += ")";
  if (!returns.empty()) {
    s += " -> ";
    for (size_t i = 0; i < returns.size(); ++i) {
      if (i) s += ", ";
      s += AbiParamToString(returns[i]);
    }
  }
  s += " ";
  s += Name(call_conv);
  return s;
}

}  // namespace lathe::ir

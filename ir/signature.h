// Function signatures: parameter and return types with ABI flags, and a calling convention.
#ifndef LATHE_IR_SIGNATURE_H_
#define LATHE_IR_SIGNATURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/types.h"

namespace lathe::ir {

enum class CallConv : uint8_t {
  kFast, kCold, kTail, kSystemV, kWindowsFastcall, kAppleAarch64, kProbestack, kWinch,
  kPreserveAll, kPatchable
};
const char* Name(CallConv cc);
std::optional<CallConv> CallConvFromName(std::string_view name);

struct AbiParam {
  enum Extension : uint8_t { kNoExt, kUext, kSext };
  enum Purpose : uint8_t { kNormal, kSret, kVmctx, kStructArg };
  Type type;
  Extension ext = kNoExt;
  Purpose purpose = kNormal;
  uint32_t struct_size = 0;  // kStructArg: `sarg(N)`
  friend bool operator==(const AbiParam& a, const AbiParam& b) {
    return a.type == b.type && a.ext == b.ext && a.purpose == b.purpose &&
           a.struct_size == b.struct_size;
  }
};

struct Signature {
  std::vector<AbiParam> params;
  std::vector<AbiParam> returns;
  CallConv call_conv = CallConv::kFast;

  // `(i32, i64 vmctx) -> i8 system_v`; dynamic types print by their base shape.
  std::string ToString() const;
  friend bool operator==(const Signature& a, const Signature& b) {
    return a.params == b.params && a.returns == b.returns && a.call_conv == b.call_conv;
  }
};

std::string AbiParamToString(const AbiParam& p);

}  // namespace lathe::ir

#endif  // LATHE_IR_SIGNATURE_H_

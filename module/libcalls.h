// Cranelift's libcall names bound to the C library: %CeilF32 -> ceilf, %FloorF64 -> floor,
// %TruncF32 -> truncf, %NearestF64 -> nearbyint (ties to even in the default rounding mode),
// %FmaF32 -> fmaf, ..., and libgcc's f128 soft-float routines (%__addtf3, %__subtf3, %__multf3,
// %__divtf3, %__extendsftf2, %__extenddftf2, %__trunctfsf2, %__trunctfdf2). CLIF files call them
// by name, and the x64 lowering calls them where the target lacks the instruction or type
// (isa/x64/libcall.h).
#pragma once

#include "module/host_symbols.h"

namespace lathe::module {

void DefineLibcalls(HostSymbols* symbols);

// A process-wide table holding exactly DefineLibcalls' symbols.
const HostSymbols& LibcallSymbols();

}  // namespace lathe::module

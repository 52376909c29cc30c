#include "module/libcalls.h"

#include <cmath>

namespace lathe::module {
namespace {

// Wrappers give each overload one address (the <cmath> names are overloaded in C++).
float CeilF32(float x) { return std::ceil(x); }
double CeilF64(double x) { return std::ceil(x); }
float FloorF32(float x) { return std::floor(x); }
double FloorF64(double x) { return std::floor(x); }
float TruncF32(float x) { return std::trunc(x); }
double TruncF64(double x) { return std::trunc(x); }
float NearestF32(float x) { return std::nearbyint(x); }
double NearestF64(double x) { return std::nearbyint(x); }
float FmaF32(float a, float b, float c) { return std::fma(a, b, c); }
double FmaF64(double a, double b, double c) { return std::fma(a, b, c); }
// GCC compiles __float128 arithmetic to the libgcc routines of the same names; these wrappers
// give them addresses without declaring libgcc's internal symbols.
__float128 AddF128(__float128 a, __float128 b) { return a + b; }
__float128 SubF128(__float128 a, __float128 b) { return a - b; }
__float128 MulF128(__float128 a, __float128 b) { return a * b; }
__float128 DivF128(__float128 a, __float128 b) { return a / b; }
__float128 F32ToF128(float a) { return a; }
__float128 F64ToF128(double a) { return a; }
float F128ToF32(__float128 a) { return static_cast<float>(a); }
double F128ToF64(__float128 a) { return static_cast<double>(a); }

}  // namespace

void DefineLibcalls(HostSymbols* s) {
  s->Define("%CeilF32", reinterpret_cast<const void*>(&CeilF32));
  s->Define("%CeilF64", reinterpret_cast<const void*>(&CeilF64));
  s->Define("%FloorF32", reinterpret_cast<const void*>(&FloorF32));
  s->Define("%FloorF64", reinterpret_cast<const void*>(&FloorF64));
  s->Define("%TruncF32", reinterpret_cast<const void*>(&TruncF32));
  s->Define("%TruncF64", reinterpret_cast<const void*>(&TruncF64));
  s->Define("%NearestF32", reinterpret_cast<const void*>(&NearestF32));
  s->Define("%NearestF64", reinterpret_cast<const void*>(&NearestF64));
  s->Define("%FmaF32", reinterpret_cast<const void*>(&FmaF32));
  s->Define("%FmaF64", reinterpret_cast<const void*>(&FmaF64));
  s->Define("%__addtf3", reinterpret_cast<const void*>(&AddF128));
  s->Define("%__subtf3", reinterpret_cast<const void*>(&SubF128));
  s->Define("%__multf3", reinterpret_cast<const void*>(&MulF128));
  s->Define("%__divtf3", reinterpret_cast<const void*>(&DivF128));
  s->Define("%__extendsftf2", reinterpret_cast<const void*>(&F32ToF128));
  s->Define("%__extenddftf2", reinterpret_cast<const void*>(&F64ToF128));
  s->Define("%__trunctfsf2", reinterpret_cast<const void*>(&F128ToF32));
  s->Define("%__trunctfdf2", reinterpret_cast<const void*>(&F128ToF64));
}

const HostSymbols& LibcallSymbols() {
  static const HostSymbols* table = [] {
    auto* t = new HostSymbols();
    DefineLibcalls(t);
    return t;
  }();
  return *table;
}

}  // namespace lathe::module

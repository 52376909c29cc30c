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

#include "wasm-frontend/name_section.h"

#include "absl/strings/str_cat.h"
#include "wasm-frontend/binary_reader.h"
#include "wasm-frontend/wasm_error.h"

namespace lathe::wasm {
namespace {

#define RETURN_IF_ERROR_(expr)         \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (0)

// Reads a name map (vec of index + name) into `out`, keyed through `key`.
template <typename Map, typename KeyFn>
absl::Status ReadNameMap(BinaryReader& r, Map* out, KeyFn key) {
  auto n = r.ReadU32("name map count");
  if (!n.ok()) return n.status();
  for (uint32_t i = 0; i < *n; ++i) {
    auto index = r.ReadU32("name map index");
    if (!index.ok()) return index.status();
    auto name = r.ReadName("name map name");
    if (!name.ok()) return name.status();
    (*out)[key(*index)] = std::string(*name);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<NameSection> DecodeNameSection(const Module& module) {
  NameSection names;
  const CustomSection* section = nullptr;
  for (const CustomSection& c : module.customs) {
    if (c.name == "name") {
      section = &c;
      break;
    }
  }
  if (section == nullptr) return names;
  BinaryReader r(module.bytes, section->payload.begin, section->payload.end);
  while (!r.AtEnd()) {
    auto id = r.ReadByte("name subsection id");
    if (!id.ok()) return id.status();
    auto size = r.ReadU32("name subsection size");
    if (!size.ok()) return size.status();
    const size_t begin = r.offset();
    RETURN_IF_ERROR_(r.Skip(*size, "name subsection"));
    BinaryReader sub(module.bytes, begin, begin + *size);
    switch (*id) {
      case 0: {
        auto name = sub.ReadName("module name");
        if (!name.ok()) return name.status();
        names.module_name = std::string(*name);
        break;
      }
      case 1:
        RETURN_IF_ERROR_(ReadNameMap(sub, &names.function_names, [](uint32_t i) { return i; }));
        break;
      case 2: {
        auto n = sub.ReadU32("local name function count");
        if (!n.ok()) return n.status();
        for (uint32_t i = 0; i < *n; ++i) {
          auto func = sub.ReadU32("local name function index");
          if (!func.ok()) return func.status();
          const uint32_t f = *func;
          RETURN_IF_ERROR_(ReadNameMap(sub, &names.local_names,
                                       [f](uint32_t l) { return NameSection::LocalKey(f, l); }));
        }
        break;
      }
      default:
        continue;  // other subsections (labels, types, ...) are not needed yet
    }
    if (!sub.AtEnd()) {
      return MalformedError(sub.offset(), absl::StrCat("name subsection ", static_cast<int>(*id),
                                                       " has ", sub.remaining(), " unread bytes"));
    }
  }
  return names;
}

}  // namespace lathe::wasm

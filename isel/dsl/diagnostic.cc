#include "isel/dsl/diagnostic.h"

#include "absl/strings/str_cat.h"

namespace lathe::dsl {

std::string Diagnostics::Where(Loc loc) const {
  const std::string& name =
      loc.file >= 0 && static_cast<size_t>(loc.file) < files_->size() ? (*files_)[loc.file].name
                                                                        : std::string("<input>");
  return absl::StrCat(name, ":", loc.line, ":", loc.col);
}

std::string Diagnostics::Format() const {
  std::string out;
  for (const Diagnostic& d : list_) absl::StrAppend(&out, Where(d.loc), ": ", d.message, "\n");
  return out;
}

}  // namespace lathe::dsl

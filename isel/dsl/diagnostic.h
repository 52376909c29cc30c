// Source locations and diagnostics of the rules compiler.
// A Loc names a file by its index in the compilation's file list plus a 1-based line and column.
// Every problem the compiler finds in rules files becomes one Diagnostic; they are printed as
// `file:line:col: message`, the format editors and the build understand.
#ifndef LATHE_ISEL_DSL_DIAGNOSTIC_H_
#define LATHE_ISEL_DSL_DIAGNOSTIC_H_

#include <string>
#include <vector>

namespace lathe::dsl {

struct Loc {
  int file = 0;
  int line = 0;
  int col = 0;
};

struct Diagnostic {
  Loc loc;
  std::string message;
};

struct SourceFile {
  std::string name;  // as given by the user; printed in diagnostics
  std::string text;
};

// Collects diagnostics in the order they are found.
class Diagnostics {
 public:
  explicit Diagnostics(const std::vector<SourceFile>* files) : files_(files) {}

  void Error(Loc loc, std::string message) { list_.push_back({loc, std::move(message)}); }
  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  const std::vector<Diagnostic>& list() const { return list_; }

  // "file:line:col" for a location, used inside messages that point at a second place.
  std::string Where(Loc loc) const;
  // Every diagnostic as `file:line:col: message`, one per line.
  std::string Format() const;

 private:
  const std::vector<SourceFile>* files_;
  std::vector<Diagnostic> list_;
};

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_DIAGNOSTIC_H_

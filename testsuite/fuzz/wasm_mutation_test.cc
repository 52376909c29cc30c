// Fuzz-style robustness test for the wasm decoder, validator and IR translator: every module of the spec
// corpus (all tiers: the newer proposals exercise the error paths) and one Sightglass program
// are truncated at many points and mutated at random (fixed seed, so failures reproduce).
// Whatever the bytes, DecodeModule, ValidateModule and DecodeNameSection must return (never
// crash, hang or trip the sanitizers under --config=asan); every function of a module that
// validates must translate to IR the verifier accepts; a rejection must carry a byte offset
// inside the input; and a truncated module may only be accepted when the cut falls on a section
// boundary of the original.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "testsuite/corpus_locator.h"
#include "wasm-frontend/binary_reader.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/name_section.h"
#include "wasm-frontend/translator.h"
#include "ir/verifier.h"

namespace lathe {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Decodes and validates; returns "" if accepted, else the error message. The name section of
// every decodable module is read too: it may fail, but only with a located error.
std::string Check(const Bytes& b) {
  auto m = wasm::DecodeModule(b);
  if (!m.ok()) return std::string(m.status().message());
  if (auto names = wasm::DecodeNameSection(*m); !names.ok()) {
    EXPECT_TRUE(absl::StartsWith(names.status().message(), "byte offset 0x")) << names.status();
  }
  absl::Status s = wasm::ValidateModule(*m);
  if (!s.ok()) return std::string(s.message());
  for (uint32_t i = 0; i < m->bodies.size(); ++i) {
    auto f = wasm::TranslateFunction(*m, i);
    EXPECT_TRUE(f.ok()) << "validated function " << i << " failed to translate: " << f.status();
    if (!f.ok()) break;
    absl::Status v = ir::VerifyFunction(*f);
    EXPECT_TRUE(v.ok()) << "function " << i << ": " << v;
    if (!v.ok()) break;
  }
  return std::string();
}

// Every rejection must start "byte offset 0x<hex>:" with the offset within the input.
void ExpectLocated(const std::string& err, size_t size, const std::string& what) {
  ASSERT_TRUE(absl::StartsWith(err, "byte offset 0x")) << what << ": " << err;
  const size_t offset = std::stoul(err.substr(14), nullptr, 16);
  EXPECT_LE(offset, size) << what << ": " << err;
}

// Ends of the top-level sections of a well-formed module (where a truncation leaves a valid
// prefix possible).
std::set<size_t> SectionBoundaries(const Bytes& b) {
  std::set<size_t> out = {8};
  wasm::BinaryReader r(b);
  if (!r.Skip(8, "header").ok()) return out;
  while (!r.AtEnd()) {
    if (!r.ReadByte("id").ok()) break;
    auto size = r.ReadU32("size");
    if (!size.ok() || !r.Skip(*size, "section").ok()) break;
    out.insert(r.offset());
  }
  return out;
}

std::vector<std::string> CorpusModules() {
  std::vector<std::string> out;
  auto manifest = testsuite::CorpusPath("wasm-spec/MANIFEST.tsv");
  if (!manifest.ok()) return out;
  const std::string root = manifest->substr(0, manifest->rfind('/'));
  std::ifstream in(*manifest);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 8 || cols[1] == "failed") continue;
    const std::string dir = root + "/json/" + std::string(absl::StripSuffix(cols[0], ".wast"));
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".wasm") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WasmMutationTest, TruncatedAndMutatedModulesAreHandled) {
  std::vector<std::string> files = CorpusModules();
  ASSERT_GT(files.size(), 3000u) << "spec corpus modules not found";
  if (auto sg = testsuite::CorpusPath("sightglass/quicksort/benchmark.wasm"); sg.ok()) {
    files.push_back(*sg);
  }
  std::mt19937 rng(20261122);
  int cases = 0, accepted = 0;
  for (const std::string& path : files) {
    const Bytes original = ReadFile(path);
    if (original.size() < 9) continue;
    const bool big = original.size() > 100000;
    const std::set<size_t> boundaries = SectionBoundaries(original);
    // Truncations: every length of short modules' first 24 bytes, then random cut points.
    std::vector<size_t> cuts;
    for (size_t n = 0; n < std::min<size_t>(original.size(), big ? 12 : 24); n += big ? 3 : 1)
      cuts.push_back(n);
    for (int i = 0; i < (big ? 20 : 4); ++i) cuts.push_back(rng() % original.size());
    for (size_t n : cuts) {
      const Bytes cut(original.begin(), original.begin() + n);
      const std::string err = Check(cut);
      ++cases;
      if (err.empty()) {
        ++accepted;
        EXPECT_TRUE(boundaries.count(n)) << path << " truncated to " << n << " bytes was accepted";
      } else {
        ExpectLocated(err, n, path);
      }
    }
    // Mutations: overwrite 1-4 bytes after the header, or insert/delete a byte.
    for (int i = 0; i < (big ? 20 : 4); ++i) {
      Bytes m = original;
      const int kind = rng() % 6;
      if (kind == 4) {
        m.insert(m.begin() + 8 + rng() % (m.size() - 8), static_cast<uint8_t>(rng()));
      } else if (kind == 5) {
        m.erase(m.begin() + 8 + rng() % (m.size() - 8));
      } else {
        for (int k = 0; k <= kind; ++k) m[8 + rng() % (m.size() - 8)] = static_cast<uint8_t>(rng());
      }
      const std::string err = Check(m);
      ++cases;
      if (err.empty()) {
        ++accepted;
      } else {
        ExpectLocated(err, m.size(), path);
      }
    }
  }
  std::printf("%d truncated/mutated modules checked, %d accepted\n", cases, accepted);
  EXPECT_GT(cases, 100000);
}

}  // namespace
}  // namespace lathe

// Test helper: lists the files of a peer corpus that Bazel made available to a test through
// `data = ["@corpus//:..."]`, and reads files. Test-only; not part of the IR library.
#ifndef LATHE_IR_CORPUS_FILES_H_
#define LATHE_IR_CORPUS_FILES_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lathe::ir::testing {

// The runfiles directory holding `corpus_subdir` (e.g. "cranelift-filetests"), or "".
inline std::string CorpusRoot(const std::string& corpus_subdir) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  std::vector<std::string> candidates;
  if (srcdir != nullptr) {
    candidates.push_back(std::string(srcdir) + "/corpus/" + corpus_subdir);
    candidates.push_back(std::string(srcdir) + "/lathe/external/corpus/" + corpus_subdir);
  }
  candidates.push_back("external/corpus/" + corpus_subdir);
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(c, ec)) return c;
  }
  return "";
}

// Paths relative to the root of every file ending in `ext`, sorted.
inline std::vector<std::string> CorpusFiles(const std::string& corpus_subdir, const std::string& ext) {
  std::vector<std::string> out;
  std::string root = CorpusRoot(corpus_subdir);
  if (root.empty()) return out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::follow_directory_symlink, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::string p = it->path().string();
    if (p.size() > ext.size() && p.compare(p.size() - ext.size(), ext.size(), ext) == 0) {
      out.push_back(p.substr(root.size() + 1));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Reads an expectations list: one entry per line, '#' starts a comment.
inline std::vector<std::string> ReadList(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(ReadFileOrEmpty(path));
  std::string line;
  while (std::getline(in, line)) {
    size_t hash = line.find('#');
    if (hash != std::string::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    out.push_back(line.substr(start));
  }
  return out;
}

}  // namespace lathe::ir::testing

#endif  // LATHE_IR_CORPUS_FILES_H_

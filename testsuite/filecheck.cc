#include "testsuite/filecheck.h"

#include <regex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace lathe::testsuite {
namespace {

bool IsVarChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string EscapeLiteral(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// User regexes become non-capturing, so that capture numbering is ours alone.
std::string NonCapturing(std::string_view re) {
  std::string out;
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\' && i + 1 < re.size()) {
      out += re[i];
      out += re[++i];
      continue;
    }
    out += re[i];
    if (re[i] == '(' && (i + 1 >= re.size() || re[i + 1] != '?')) out += "?:";
  }
  return out;
}

struct Vars {
  absl::flat_hash_map<std::string, std::string> regexes;
  absl::flat_hash_map<std::string, std::string> values;
};

// Expands `$V` references inside a regex (for `$(V=R)` and `regex:` bodies).
absl::Status ExpandRegex(std::string_view re, const Vars& vars, std::string* out) {
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '$' && i + 1 < re.size() && IsVarChar(re[i + 1])) {
      size_t j = i + 1;
      while (j < re.size() && IsVarChar(re[j])) ++j;
      std::string name(re.substr(i + 1, j - i - 1));
      if (auto v = vars.values.find(name); v != vars.values.end()) {
        *out += EscapeLiteral(v->second);
      } else if (auto r = vars.regexes.find(name); r != vars.regexes.end()) {
        *out += "(?:" + NonCapturing(r->second) + ")";
      } else {
        return absl::InvalidArgumentError(absl::StrCat("undefined variable $", name));
      }
      i = j - 1;
      continue;
    }
    *out += re[i];
  }
  return absl::OkStatus();
}

// Compiles a pattern into a regex; `captures` receives the variable of each capture group.
absl::Status Compile(std::string_view pat, const Vars& vars, std::string* re, std::vector<std::string>* captures) {
  for (size_t i = 0; i < pat.size();) {
    char c = pat[i];
    if (c == ' ' || c == '\t') {
      while (i < pat.size() && (pat[i] == ' ' || pat[i] == '\t')) ++i;
      *re += "[ \\t]+";
      continue;
    }
    if (c != '$') {
      *re += EscapeLiteral(pat.substr(i, 1));
      ++i;
      continue;
    }
    if (i + 1 < pat.size() && pat[i + 1] == '$') {
      *re += "\\$";
      i += 2;
      continue;
    }
    if (i + 1 < pat.size() && pat[i + 1] == '(') {
      int depth = 0;
      size_t j = i + 1;
      for (; j < pat.size(); ++j) {
        if (pat[j] == '\\') {
          ++j;
          continue;
        }
        if (pat[j] == '(') ++depth;
        if (pat[j] == ')' && --depth == 0) break;
      }
      if (j >= pat.size()) return absl::InvalidArgumentError("unterminated $( in pattern");
      std::string_view body = pat.substr(i + 2, j - i - 2);
      size_t eq = body.find('=');
      if (eq == std::string_view::npos) return absl::InvalidArgumentError("expected $(NAME=regex) in pattern");
      std::string name(body.substr(0, eq));
      std::string expanded;
      absl::Status s = ExpandRegex(body.substr(eq + 1), vars, &expanded);
      if (!s.ok()) return s;
      if (name.empty()) {
        *re += "(?:" + NonCapturing(expanded) + ")";
      } else {
        *re += "(" + NonCapturing(expanded) + ")";
        captures->push_back(name);
      }
      i = j + 1;
      continue;
    }
    size_t j = i + 1;
    while (j < pat.size() && IsVarChar(pat[j])) ++j;
    if (j == i + 1) {
      *re += "\\$";
      ++i;
      continue;
    }
    std::string expanded;
    absl::Status s = ExpandRegex(pat.substr(i, j - i), vars, &expanded);
    if (!s.ok()) return s;
    *re += expanded;
    i = j;
  }
  return absl::OkStatus();
}

// std::regex reports a malformed expression by throwing; that is turned into a status here.
bool MakeRegex(const std::string& re, std::regex* out) {
  try {
    *out = std::regex(re);
  } catch (const std::regex_error&) {
    return false;
  }
  return true;
}

size_t LineEnd(std::string_view text, size_t pos) {
  size_t e = text.find('\n', pos);
  return e == std::string_view::npos ? text.size() : e;
}

}  // namespace

void FileCheck::AddComment(std::string_view comment) {
  size_t i = 0;
  while (i < comment.size() && (comment[i] == ';' || comment[i] == ' ' || comment[i] == '\t')) ++i;
  std::string_view rest = comment.substr(i);
  static const struct {
    const char* word;
    Directive::Kind kind;
  } kKinds[] = {{"check:", Directive::kCheck},         {"sameln:", Directive::kSameln},
                {"nextln:", Directive::kNextln},       {"unordered:", Directive::kUnordered},
                {"not:", Directive::kNot},             {"regex:", Directive::kRegex}};
  for (const auto& k : kKinds) {
    std::string_view w(k.word);
    if (rest.substr(0, w.size()) == w) {
      std::string_view p = rest.substr(w.size());
      while (!p.empty() && (p.front() == ' ' || p.front() == '\t')) p.remove_prefix(1);
      while (!p.empty() && (p.back() == ' ' || p.back() == '\t' || p.back() == '\r')) p.remove_suffix(1);
      directives_.push_back(Directive{k.kind, std::string(p)});
      return;
    }
  }
}

absl::Status FileCheck::Check(std::string_view text) const {
  Vars vars;
  size_t pos = 0;            // end of the last ordered match
  std::vector<std::string> nots;
  std::string str(text);
  auto fail = [](const Directive& d, const char* kind, std::string why) {
    return absl::NotFoundError(absl::StrCat(kind, " ", d.pattern, ": ", why));
  };
  for (const Directive& d : directives_) {
    if (d.kind == Directive::kRegex) {
      size_t eq = d.pattern.find('=');
      if (eq == std::string::npos) return fail(d, "regex:", "expected NAME=regex");
      vars.regexes[d.pattern.substr(0, eq)] = d.pattern.substr(eq + 1);
      continue;
    }
    if (d.kind == Directive::kNot) {
      nots.push_back(d.pattern);
      continue;
    }
    std::string re;
    std::vector<std::string> captures;
    absl::Status s = Compile(d.pattern, vars, &re, &captures);
    if (!s.ok()) return fail(d, "pattern", std::string(s.message()));
    std::regex rx;
    if (!MakeRegex(re, &rx)) return fail(d, "pattern", "invalid regular expression");
    size_t from = pos, to = str.size();
    const char* kind = "check:";
    if (d.kind == Directive::kSameln) {
      kind = "sameln:";
      to = LineEnd(str, pos);
    } else if (d.kind == Directive::kNextln) {
      kind = "nextln:";
      size_t e = LineEnd(str, pos);
      if (e >= str.size()) return fail(d, kind, "there is no next line");
      from = e + 1;
      to = LineEnd(str, from);
    } else if (d.kind == Directive::kUnordered) {
      kind = "unordered:";
    }
    std::smatch m;
    std::string::const_iterator b = str.begin() + static_cast<long>(from), e = str.begin() + static_cast<long>(to);
    if (!std::regex_search(b, e, m, rx)) return fail(d, kind, "no match");
    size_t mstart = from + static_cast<size_t>(m.position(0));
    size_t mend = mstart + static_cast<size_t>(m.length(0));
    for (size_t c = 0; c < captures.size(); ++c) vars.values[captures[c]] = m[c + 1].str();
    if (d.kind == Directive::kUnordered) continue;
    for (const std::string& n : nots) {
      std::string nre;
      std::vector<std::string> ncap;
      if (!Compile(n, vars, &nre, &ncap).ok()) return absl::NotFoundError(absl::StrCat("not: ", n, ": bad pattern"));
      std::regex nrx;
      if (!MakeRegex(nre, &nrx)) return absl::NotFoundError(absl::StrCat("not: ", n, ": invalid regular expression"));
      if (std::regex_search(str.begin() + static_cast<long>(pos), str.begin() + static_cast<long>(mstart), nrx)) {
        return absl::NotFoundError(absl::StrCat("not: ", n, ": found before ", d.pattern));
      }
    }
    nots.clear();
    pos = mend;
  }
  for (const std::string& n : nots) {
    std::string nre;
    std::vector<std::string> ncap;
    if (!Compile(n, vars, &nre, &ncap).ok()) return absl::NotFoundError(absl::StrCat("not: ", n, ": bad pattern"));
    std::regex nrx;
    if (!MakeRegex(nre, &nrx)) return absl::NotFoundError(absl::StrCat("not: ", n, ": invalid regular expression"));
    if (std::regex_search(str.begin() + static_cast<long>(pos), str.end(), nrx)) {
      return absl::NotFoundError(absl::StrCat("not: ", n, ": found"));
    }
  }
  return absl::OkStatus();
}

}  // namespace lathe::testsuite

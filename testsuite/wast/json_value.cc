#include "testsuite/wast/json_value.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace lathe::wast {

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const auto& [k, v] : members) {
    if (k == key) return &v;
  }
  return nullptr;
}

absl::string_view JsonValue::GetString(absl::string_view key) const {
  const JsonValue* v = Find(key);
  return v != nullptr && v->kind == Kind::kString ? absl::string_view(v->text)
                                                  : absl::string_view();
}

namespace {

class Parser {
 public:
  explicit Parser(absl::string_view text) : s_(text) {}

  absl::StatusOr<JsonValue> Run() {
    JsonValue root;
    // Containers being filled, innermost last. Each points into its parent, which is not
    // appended to while the child is open, so the pointers stay valid.
    std::vector<JsonValue*> open;
    JsonValue* slot = &root;  // where the next value goes
    bool done = false;
    while (!done) {
      SkipSpace();
      if (absl::Status st = ParseScalarOrOpen(slot, &open); !st.ok()) return st;
      // Close containers until one needs another element, or the document is complete.
      for (;;) {
        if (open.empty()) {
          done = true;
          break;
        }
        JsonValue* c = open.back();
        SkipSpace();
        const bool empty =
            c->kind == JsonValue::Kind::kArray ? c->items.empty() : c->members.empty();
        const char close = c->kind == JsonValue::Kind::kArray ? ']' : '}';
        if (Peek() == close) {
          ++pos_;
          open.pop_back();
          continue;
        }
        // A freshly opened container has no element yet and needs no comma.
        if (!(empty && just_opened_)) {
          if (Peek() != ',')
            return Error(absl::StrCat("expected ',' or '", std::string(1, close), "'"));
          ++pos_;
          SkipSpace();
        }
        just_opened_ = false;
        if (c->kind == JsonValue::Kind::kArray) {
          c->items.emplace_back();
          slot = &c->items.back();
        } else {
          std::string key;
          if (absl::Status st = ParseString(&key); !st.ok()) return st;
          SkipSpace();
          if (Peek() != ':') return Error("expected ':' after object key");
          ++pos_;
          c->members.emplace_back(std::move(key), JsonValue());
          slot = &c->members.back().second;
        }
        break;
      }
    }
    SkipSpace();
    if (pos_ != s_.size()) return Error("expected end of document");
    return root;
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
      ++pos_;
  }

  absl::Status Error(absl::string_view what) const {
    int line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(line, ":", col, ": ", what));
  }

  absl::Status ParseScalarOrOpen(JsonValue* v, std::vector<JsonValue*>* open) {
    const char c = Peek();
    if (c == '[' || c == '{') {
      if (static_cast<int>(open->size()) >= kMaxJsonDepth) {
        return Error(absl::StrCat("nesting deeper than ", kMaxJsonDepth, " levels"));
      }
      ++pos_;
      v->kind = c == '[' ? JsonValue::Kind::kArray : JsonValue::Kind::kObject;
      open->push_back(v);
      just_opened_ = true;
      return absl::OkStatus();
    }
    just_opened_ = false;
    if (c == '"') {
      v->kind = JsonValue::Kind::kString;
      return ParseString(&v->text);
    }
    if (Literal("true")) {
      v->kind = JsonValue::Kind::kBool;
      v->boolean = true;
      return absl::OkStatus();
    }
    if (Literal("false")) {
      v->kind = JsonValue::Kind::kBool;
      return absl::OkStatus();
    }
    if (Literal("null")) return absl::OkStatus();
    if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = pos_;
      ++pos_;
      while (pos_ < s_.size() &&
             (absl::string_view("0123456789+-.eE").find(s_[pos_]) != absl::string_view::npos))
        ++pos_;
      v->kind = JsonValue::Kind::kNumber;
      v->text = std::string(s_.substr(start, pos_ - start));
      return absl::OkStatus();
    }
    return Error("expected a value");
  }

  bool Literal(absl::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  absl::Status Hex4(uint32_t* out) {
    if (s_.size() - pos_ < 4) return Error("expected four hex digits after \\u");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= h - '0';
      else if (h >= 'a' && h <= 'f')
        v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        v |= h - 'A' + 10;
      else
        return Error("expected a hex digit in \\u escape");
    }
    *out = v;
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    if (Peek() != '"') return Error("expected '\"'");
    ++pos_;
    out->clear();
    for (;;) {
      if (pos_ >= s_.size()) return Error("expected closing '\"' before end of document");
      const char c = s_[pos_++];
      if (c == '"') return absl::OkStatus();
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return Error("expected an escape character");
      const char e = s_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (absl::Status st = Hex4(&cp); !st.ok()) return st;
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            const size_t save = pos_;
            pos_ += 2;
            uint32_t lo = 0;
            if (absl::Status st = Hex4(&lo); !st.ok()) return st;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;  // lone high surrogate; keep the next escape for itself
            }
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Error(absl::StrCat("unknown escape '\\", std::string(1, e), "'"));
      }
    }
  }

  absl::string_view s_;
  size_t pos_ = 0;
  bool just_opened_ = false;
};

}  // namespace

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) { return Parser(text).Run(); }

}  // namespace lathe::wast

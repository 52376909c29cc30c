#include "testsuite/filetest_runner.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "ir/cfg.h"
#include "ir/dominator_tree.h"
#include "ir/parser.h"
#include "ir/printer.h"
#include "testsuite/filecheck.h"
#include "ir/test_file.h"
#include "ir/verifier.h"
#include "isa/common/compile.h"
#include "isa/common/opt_level.h"
#include "isa/common/target_registry.h"
#include "isa/targets.h"
#include "module/jit_module.h"
#include "testsuite/disassembler.h"
#include "module/libcalls.h"
#include "testsuite/interp/interpreter.h"
#include "testsuite/run_values.h"
#include "testsuite/input_paths.h"

namespace lathe::testsuite {
namespace {

using interp::u128;

class FileRun {
 public:
  FileRun(std::string_view path, const FiletestOptions& options, FiletestReport* report)
      : path_(path), options_(options), report_(report) {}

  void Run(std::string_view text) {
    absl::StatusOr<ir::TestFile> parsed = ir::ParseTestFile(text, path_);
    if (!parsed.ok()) {
      Add(Outcome::kFail, "parse", 0, std::string(parsed.status().message()));
      return;
    }
    file_ = std::move(*parsed);
    if (options_.interpret_only) {
      RunDirectives("interpret");
      return;
    }
    if (options_.native_only) {
      RunNative();
      return;
    }
    std::vector<std::string> kinds;
    for (const ir::HeaderLine& h : file_.headers) {
      if (h.kind == ir::HeaderLine::kTest && !h.words.empty()) kinds.push_back(h.words[0]);
    }
    if (kinds.empty()) {
      Add(Outcome::kFail, "header", 1, absl::StrCat(path_, ":1: expected a `test` line naming the test kind"));
      return;
    }
    has_interpret_ = std::find(kinds.begin(), kinds.end(), "interpret") != kinds.end();
    for (const std::string& kind : kinds) {
      bool known = false;
      for (const Kind& k : kKinds) {
        if (kind == k.name) {
          (this->*k.run)();
          known = true;
          break;
        }
      }
      if (!known) {
        for (const ir::ParsedFunction& pf : file_.functions) {
          Add(Outcome::kSkip, kind, pf.line, absl::StrCat("test ", kind, " is not supported yet"));
        }
      }
    }
  }

 private:
  // The test kinds: one row each. `optimize` joins here when the mid-end exists.
  struct Kind {
    const char* name;
    void (FileRun::*run)();
  };
  static const Kind kKinds[7];

  void RunInterpret() { RunDirectives("interpret"); }
  void RunPrintCfg() {
    for (const ir::ParsedFunction& pf : file_.functions) CheckOutput("print-cfg", pf, CfgText(*pf.function));
  }
  // Native execution on the host (x86-64 only), once per `target x86_64 ...` line with that
  // line's flags: every run directive is compiled and run, and its result must also agree with
  // the interpreter's (the differential check).
  void RunNative() {
    std::vector<const ir::HeaderLine*> targets;
    for (const ir::HeaderLine& h : file_.headers) {
      if (h.kind == ir::HeaderLine::kTarget && !h.words.empty() && h.words[0] == "x86_64") targets.push_back(&h);
    }
    if (targets.empty() || !HostIsX86_64()) {
      AddForRunDirectives(Outcome::kSkip, targets.empty() ? "the file names no x86_64 target" : "the host is not x86_64");
      return;
    }
    isa::OptLevel level = isa::OptLevel::kNone;
    if (!FileOptLevel("run", &level)) return;
    if (options_.optimizing_allocator) level = isa::OptLevel::kSpeed;
    std::vector<const ir::Function*> fns;
    for (const ir::ParsedFunction& pf : file_.functions) fns.push_back(pf.function.get());
    for (const ir::HeaderLine* t : targets) {
      target_line_ = t->line;
      absl::StatusOr<isa::TargetSpec> spec = ParseTargetLine(*t);
      if (!spec.ok()) {
        AddForRunDirectives(Outcome::kFail, std::string(spec.status().message()));
        continue;
      }
      std::vector<std::string> missing = isa::MissingOnHost(*spec, isa::HostFlags(*spec->target));
      if (!missing.empty()) {
        AddForRunDirectives(Outcome::kSkip, absl::StrCat("host lacks ", absl::StrJoin(missing, ", "), " (", Where(t->line), ")"));
        continue;
      }
      absl::StatusOr<std::unique_ptr<module::JitModule>> jit = module::JitModule::Create(fns, level, &*spec, &module::LibcallSymbols());
      if (!jit.ok()) {
        for (const ir::ParsedFunction& pf : file_.functions) {
          for (const ir::RunDirective& rd : pf.run_directives) {
            if (rd.kind == ir::RunDirective::kRun) {
              Add(Outcome::kFail, "run", rd.line,
                  absl::StrCat(Where(rd.line), ": ", rd.ToString(), ": compile: ", jit.status().message()));
            }
          }
        }
        continue;
      }
      native_ = jit->get();
      RunDirectives("run");
      native_ = nullptr;
    }
    target_line_ = 0;
  }

  // One outcome per `; run:` directive (print directives are not counted).
  void AddForRunDirectives(Outcome::Kind kind, const std::string& why) {
    for (const ir::ParsedFunction& pf : file_.functions) {
      for (const ir::RunDirective& rd : pf.run_directives) {
        if (rd.kind == ir::RunDirective::kRun) {
          Add(kind, "run", rd.line, kind == Outcome::kFail ? absl::StrCat(Where(rd.line), ": ", why) : why);
        }
      }
    }
  }

  // `set opt_level=...` (the last one wins; default none). False after reporting a bad value.
  bool FileOptLevel(const std::string& test, isa::OptLevel* level) {
    for (const ir::HeaderLine& h : file_.headers) {
      if (h.kind != ir::HeaderLine::kSet) continue;
      for (const std::string& w : h.words) {
        if (w.rfind("opt_level=", 0) != 0) continue;
        absl::StatusOr<isa::OptLevel> l = isa::ParseOptLevel(std::string_view(w).substr(10));
        if (!l.ok()) {
          Add(Outcome::kFail, test, h.line, absl::StrCat(Where(h.line), ": ", l.status().message()));
          return false;
        }
        *level = *l;
      }
    }
    return true;
  }

  // The words of a target line, placed at their columns when written `target W1 W2 ...` with
  // single spaces, so the registry's column numbers point into the line.
  // The file's `set enable_pinned_reg` applies to every target.
  absl::StatusOr<isa::TargetSpec> ParseTargetLine(const ir::HeaderLine& h) const {
    absl::StatusOr<isa::TargetSpec> spec =
        isa::ParseTarget(absl::StrCat("       ", absl::StrJoin(h.words, " ")), Where(h.line));
    for (const ir::HeaderLine& s : file_.headers) {
      if (s.kind != ir::HeaderLine::kSet || !spec.ok()) continue;
      for (const std::string& w : s.words) {
        if (w == "enable_pinned_reg" || w == "enable_pinned_reg=true") spec->enable_pinned_reg = true;
      }
    }
    return spec;
  }

  // `test compile`: every function for every target line with a backend; the disassembly must
  // satisfy the function's FileCheck directives, if it has any.
  void RunCompile() {
    bool expect_fail = false;
    for (const ir::HeaderLine& h : file_.headers) {
      if (h.kind == ir::HeaderLine::kTest && !h.words.empty() && h.words[0] == "compile") {
        expect_fail = expect_fail || std::find(h.words.begin(), h.words.end(), "expect-fail") != h.words.end();
      }
    }
    std::vector<const ir::HeaderLine*> targets;
    for (const ir::HeaderLine& h : file_.headers) {
      if (h.kind == ir::HeaderLine::kTarget && !h.words.empty()) targets.push_back(&h);
    }
    if (targets.empty()) {
      for (const ir::ParsedFunction& pf : file_.functions) Add(Outcome::kSkip, "compile", pf.line, "test compile needs a `target` line");
      return;
    }
    isa::OptLevel level = isa::OptLevel::kNone;
    if (!FileOptLevel("compile", &level)) return;
    isa::CompileContext ctx;
    isa::CodeBuffer buf;
    for (const ir::HeaderLine* t : targets) {
      target_line_ = t->line;
      if (isa::FindTarget(t->words[0]) == nullptr) {
        for (const ir::ParsedFunction& pf : file_.functions) {
          Add(Outcome::kSkip, "compile", pf.line, absl::StrCat("no backend for target ", t->words[0]));
        }
        continue;
      }
      absl::StatusOr<isa::TargetSpec> spec = ParseTargetLine(*t);
      absl::StatusOr<std::unique_ptr<isa::TargetIsa>> target =
          spec.ok() ? isa::CreateTargetIsa(*spec) : absl::StatusOr<std::unique_ptr<isa::TargetIsa>>(spec.status());
      if (!target.ok()) {
        for (const ir::ParsedFunction& pf : file_.functions) {
          Add(Outcome::kFail, "compile", pf.line, std::string(target.status().message()));
        }
        continue;
      }
      for (const ir::ParsedFunction& pf : file_.functions) {
        const std::string name = pf.function->name.ToString();
        absl::Status s = isa::Compile(*pf.function, **target, level, ctx, &buf);
        if (expect_fail) {
          if (s.ok()) {
            Add(Outcome::kFail, "compile", pf.line, absl::StrCat(Where(pf.line), ": function ", name, " compiled, expected a compile error"));
          } else {
            Add(Outcome::kPass, "compile", pf.line, "");
          }
          continue;
        }
        if (s.code() == absl::StatusCode::kUnimplemented) {
          Add(Outcome::kUnsupported, "compile", pf.line, absl::StrCat(Where(pf.line), ": function ", name, ": ", s.message()));
          continue;
        }
        if (!s.ok()) {
          Add(Outcome::kFail, "compile", pf.line, absl::StrCat(Where(pf.line), ": function ", name, ": ", s.message()));
          continue;
        }
        absl::StatusOr<std::string> text = Disassemble((*target)->name(), buf);
        if (!text.ok()) {
          Add(Outcome::kFail, "compile", pf.line, std::string(text.status().message()));
        } else if (ChecksOf(*pf.function).empty()) {
          Add(Outcome::kPass, "compile", pf.line, "");
        } else {
          CheckOutput("compile", pf, *text);
        }
      }
    }
    target_line_ = 0;
  }

  static bool HostIsX86_64() {
#if defined(__x86_64__)
    return true;
#else
    return false;
#endif
  }

  // Runs function `index` natively; values come back masked to their types.
  absl::StatusOr<interp::CallResult> CallNative(size_t index, absl::Span<const u128> args) {
    const ir::Signature& sig = file_.functions[index].function->signature;
    std::vector<uint64_t> slots;
    for (size_t i = 0; i < args.size(); ++i) {
      slots.push_back(static_cast<uint64_t>(args[i]));
      if (i < sig.params.size() && sig.params[i].type.bits_total() == 128) slots.push_back(static_cast<uint64_t>(args[i] >> 64));
    }
    absl::StatusOr<module::CallOutcome> r = native_->Call(index, slots);
    if (!r.ok()) return r.status();
    interp::CallResult out;
    out.trapped = r->trapped;
    out.trap = r->trap;
    if (!r->trapped) {
      size_t k = 0;
      for (size_t i = 0; i < sig.returns.size() && k < r->values.size(); ++i) {
        uint32_t bits = sig.returns[i].type.bits_total();
        u128 v = r->values[k++];
        if (bits == 128 && k < r->values.size()) v |= static_cast<u128>(r->values[k++]) << 64;
        if (bits < 64) v &= (uint64_t{1} << bits) - 1;
        out.values.push_back(v);
      }
    }
    return out;
  }

 private:
  void Add(Outcome::Kind k, std::string test, uint32_t line, std::string message) {
    Outcome o;
    o.kind = k;
    o.test = std::move(test);
    o.line = line;
    o.message = std::move(message);
    o.target_line = target_line_;
    report_->outcomes.push_back(std::move(o));
  }

  std::string Where(uint32_t line) const { return absl::StrCat(path_, ":", line); }

  void RunDirectives(const std::string& test) {
    std::vector<const ir::Function*> fns;
    for (const ir::ParsedFunction& pf : file_.functions) fns.push_back(pf.function.get());
    interp::Interpreter interp(fns);
    if (options_.step_limit != 0) interp.set_step_limit(options_.step_limit);
    // The interpreter relies on verified IR (operand counts, types, terminators), so a
    // function that does not verify makes every directive that would execute it fail.
    verify_errors_.assign(file_.functions.size(), std::string());
    for (size_t i = 0; i < file_.functions.size(); ++i) {
      const ir::Function& f = *file_.functions[i].function;
      std::vector<ir::VerifierError> errors = ir::Verify(f);
      if (!errors.empty()) verify_errors_[i] = ir::FormatVerifierError(f, errors[0]);
    }
    for (size_t i = 0; i < file_.functions.size(); ++i) {
      for (const ir::RunDirective& rd : file_.functions[i].run_directives) RunOne(interp, i, test, rd);
    }
  }

  // As in Cranelift, a directive invokes the function it follows; the name it writes must
  // still name a function of the file.
  void RunOne(interp::Interpreter& interp, size_t index, const std::string& test, const ir::RunDirective& rd) {
    const std::string text = rd.ToString();
    auto fail = [&](const std::string& msg) { Add(Outcome::kFail, test, rd.line, absl::StrCat(Where(rd.line), ": ", text, ": ", msg)); };
    if (interp.Find(rd.function) == nullptr) return fail(absl::StrCat("unknown function %", rd.function));
    const ir::Function* f = file_.functions[index].function.get();
    const ir::Signature& sig = f->signature;
    if (rd.args.size() != sig.params.size()) {
      return fail(absl::StrCat("%", rd.function, " takes ", sig.params.size(), " arguments, the directive passes ",
                               rd.args.size()));
    }
    std::vector<u128> args;
    for (size_t i = 0; i < rd.args.size(); ++i) {
      absl::StatusOr<u128> v = ParseRunValue(rd.args[i], sig.params[i].type);
      if (!v.ok()) return fail(absl::StrCat("argument ", i + 1, ": ", v.status().message()));
      args.push_back(*v);
    }
    std::vector<u128> expected;
    if (rd.kind == ir::RunDirective::kRun && !rd.op.empty()) {
      if (rd.expected.size() != sig.returns.size()) {
        return fail(absl::StrCat("%", rd.function, " returns ", sig.returns.size(), " values, the directive expects ",
                                 rd.expected.size()));
      }
      for (size_t i = 0; i < rd.expected.size(); ++i) {
        absl::StatusOr<u128> v = ParseRunValue(rd.expected[i], sig.returns[i].type);
        if (!v.ok()) return fail(absl::StrCat("expected value ", i + 1, ": ", v.status().message()));
        expected.push_back(*v);
      }
    } else if (rd.kind == ir::RunDirective::kRun &&
               (sig.returns.size() != 1 || !sig.returns[0].type.is_int() || sig.returns[0].type.is_vector())) {
      return fail("a `run` without a comparison needs a function returning one integer");
    }
    for (size_t i = 0; i < verify_errors_.size(); ++i) {
      if (!verify_errors_[i].empty()) {
        return fail(absl::StrCat("function ", file_.functions[i].function->name.ToString(),
                                 " does not verify: ", verify_errors_[i]));
      }
    }
    absl::StatusOr<interp::CallResult> r = interp.CallIndex(index, args);
    if (native_ != nullptr) {
      absl::StatusOr<interp::CallResult> n = CallNative(index, args);
      if (!n.ok()) return fail(absl::StrCat("compile: ", n.status().message()));
      if (r.ok() && !SameOutcome(*r, *n, sig)) {
        return fail(absl::StrCat("native result ", Describe(*n, sig), " differs from the interpreter's ", Describe(*r, sig)));
      }
      r = std::move(n);
    }
    if (!r.ok()) return fail(absl::StrCat("interpreter: ", r.status().message()));
    if (rd.kind == ir::RunDirective::kPrint) {
      if (r->trapped) return fail(absl::StrCat("trapped: ", r->trap.Name()));
      return;  // print directives check nothing, so they are not counted
    }
    std::string actual;
    if (r->trapped) {
      actual = absl::StrCat("trap ", r->trap.Name());
    } else {
      std::vector<std::string> parts;
      for (size_t i = 0; i < r->values.size() && i < sig.returns.size(); ++i) {
        parts.push_back(FormatRunValue(r->values[i], sig.returns[i].type));
      }
      actual = parts.size() == 1 ? parts[0] : absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
    bool pass;
    std::string want;
    if (rd.op.empty()) {
      pass = !r->trapped && r->values.size() == 1 && r->values[0] != 0;
      want = "a non-zero result";
    } else {
      bool equal = !r->trapped && r->values.size() == expected.size();
      for (size_t i = 0; equal && i < expected.size(); ++i) {
        equal = RunValuesEqual(r->values[i], expected[i], sig.returns[i].type);
      }
      pass = rd.op == "==" ? equal : (!r->trapped && !equal);
      std::string exp = expected.size() == 1 ? rd.expected[0] : absl::StrCat("[", absl::StrJoin(rd.expected, ", "), "]");
      want = rd.op == "==" ? exp : absl::StrCat("anything but ", exp);
    }
    if (pass) {
      Add(Outcome::kPass, test, rd.line, "");
    } else {
      fail(absl::StrCat("expected ", want, ", got ", actual));
    }
  }

  static bool SameOutcome(const interp::CallResult& a, const interp::CallResult& b, const ir::Signature& sig) {
    if (a.trapped != b.trapped) return false;
    if (a.trapped) return a.trap.code() == b.trap.code();
    for (size_t i = 0; i < sig.returns.size() && i < a.values.size() && i < b.values.size(); ++i) {
      if (!RunValuesEqual(a.values[i], b.values[i], sig.returns[i].type)) return false;
    }
    return a.values.size() == b.values.size();
  }
  static std::string Describe(const interp::CallResult& r, const ir::Signature& sig) {
    if (r.trapped) return absl::StrCat("trap ", r.trap.Name());
    std::vector<std::string> parts;
    for (size_t i = 0; i < r.values.size() && i < sig.returns.size(); ++i) {
      parts.push_back(FormatRunValue(r.values[i], sig.returns[i].type));
    }
    return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
  }

  // The first `target` line decides the pointer width (32-bit targets name "32").
  ir::VerifierOptions VerifierOptionsForTarget() const {
    ir::VerifierOptions o;
    for (const ir::HeaderLine& h : file_.headers) {
      if (h.kind != ir::HeaderLine::kTarget || h.words.empty()) continue;
      o.pointer_type = h.words[0].find("32") != std::string::npos ? ir::kI32 : ir::kI64;
      break;
    }
    return o;
  }

  void RunVerifier() {
    for (const ir::ParsedFunction& pf : file_.functions) {
      const ir::Function& f = *pf.function;
      std::vector<const ir::Comment*> expected;
      for (const ir::Comment& c : f.comments) {
        if (absl::StrContains(c.text, "error:")) expected.push_back(&c);
      }
      std::vector<ir::VerifierError> errors = ir::Verify(f, VerifierOptionsForTarget());
      std::string name = f.name.ToString();
      if (expected.empty()) {
        if (errors.empty()) {
          Add(Outcome::kPass, "verifier", pf.line, "");
        } else {
          Add(Outcome::kFail, "verifier", pf.line,
              absl::StrCat(Where(pf.line), ": function ", name, " should verify, got: ",
                           ir::FormatVerifierError(f, errors[0])));
        }
        continue;
      }
      // Each annotated instruction must have an error of its own; other annotations need
      // at least one error somewhere in the function.
      bool ok = !errors.empty();
      std::string missing;
      for (const ir::Comment* c : expected) {
        if (c->attach != ir::Comment::kInst) continue;
        bool found = false;
        for (const ir::VerifierError& e : errors) found = found || (e.inst.valid() && e.inst.index() == c->index);
        if (!found) {
          ok = false;
          missing = c->text;
        }
      }
      if (ok) {
        Add(Outcome::kPass, "verifier", pf.line, "");
      } else {
        Add(Outcome::kFail, "verifier", pf.line,
            absl::StrCat(Where(pf.line), ": function ", name, ": expected a verifier error (",
                         missing.empty() ? expected[0]->text : missing, "), got ",
                         errors.empty() ? std::string("none") : ir::FormatVerifierError(f, errors[0])));
      }
    }
  }

  FileCheck ChecksOf(const ir::Function& f) const {
    FileCheck fc;
    for (const ir::Comment& c : f.comments) fc.AddComment(c.text);
    return fc;
  }

  // FileCheck of `text` against the function's directives: one item.
  void CheckOutput(const std::string& test, const ir::ParsedFunction& pf, const std::string& text) {
    FileCheck fc = ChecksOf(*pf.function);
    absl::Status s = fc.Check(text);
    if (s.ok()) {
      Add(Outcome::kPass, test, pf.line, "");
    } else {
      Add(Outcome::kFail, test, pf.line,
          absl::StrCat(Where(pf.line), ": function ", pf.function->name.ToString(), ": ", s.message(),
                       "\n--- output ---\n", text, "--------------"));
    }
  }

  // `test cat`: the printed function must satisfy its check directives; without any, it must
  // print to text that parses and prints identically.
  void RunCat() {
    for (const ir::ParsedFunction& pf : file_.functions) {
      std::string text = ir::PrintFunction(*pf.function);
      if (!ChecksOf(*pf.function).empty()) {
        CheckOutput("cat", pf, text);
        continue;
      }
      absl::StatusOr<std::unique_ptr<ir::Function>> again = ir::ParseFunction(text, path_);
      if (again.ok() && ir::PrintFunction(**again) == text) {
        Add(Outcome::kPass, "cat", pf.line, "");
      } else {
        Add(Outcome::kFail, "cat", pf.line,
            absl::StrCat(Where(pf.line), ": printing function ", pf.function->name.ToString(),
                         " does not give text that prints back the same"));
      }
    }
  }

  // The text Cranelift's domtree test prints: CFG post-order, then the dominator tree in
  // pre-order with each block's children (children in reverse post-order).
  static std::string DomtreeText(const ir::Function& f, const ir::DominatorTree& dt) {
    std::string s = "cfg_postorder:";
    absl::Span<const ir::Block> rpo = dt.rpo();
    std::vector<uint32_t> rank(f.dfg.num_blocks(), 0);
    for (size_t i = 0; i < rpo.size(); ++i) rank[rpo[i].index()] = static_cast<uint32_t>(i);
    for (size_t i = rpo.size(); i-- > 0;) absl::StrAppend(&s, " ", rpo[i].Name());
    s += "\ndomtree_preorder {\n";
    if (!rpo.empty()) {
      std::vector<ir::Block> stack = {rpo[0]};
      while (!stack.empty()) {
        ir::Block b = stack.back();
        stack.pop_back();
        std::vector<ir::Block> kids(dt.children(b).begin(), dt.children(b).end());
        std::sort(kids.begin(), kids.end(), [&](ir::Block x, ir::Block y) { return rank[x.index()] < rank[y.index()]; });
        absl::StrAppend(&s, "    ", b.Name(), ":");
        for (ir::Block k : kids) absl::StrAppend(&s, " ", k.Name());
        s += "\n";
        for (size_t i = kids.size(); i-- > 0;) stack.push_back(kids[i]);
      }
    }
    return s + "}\n";
  }

  // The Graphviz text of Cranelift's print-cfg test: one record per block listing its
  // branches and terminators, then one edge per (branch, target).
  static std::string CfgText(const ir::Function& f) {
    std::string s = absl::StrCat("digraph \"", f.name.ToString(), "\" {\n");
    std::string edges;
    for (ir::Block b = f.layout.first_block(); b.valid(); b = f.layout.next_block(b)) {
      absl::StrAppend(&s, "    ", b.Name(), " [shape=record, label=\"{", b.Name());
      absl::Span<const ir::Value> params = f.dfg.block_params(b);
      if (!params.empty()) {
        s += "(";
        for (size_t i = 0; i < params.size(); ++i) {
          absl::StrAppend(&s, i ? ", " : "", params[i].Name(), ": ", ir::TypeName(f, f.dfg.value_type(params[i])));
        }
        s += ")";
      }
      s += ":\n";
      for (ir::Inst i = f.layout.first_inst(b); i.valid(); i = f.layout.next_inst(i)) {
        uint16_t flags = ir::Info(f.dfg.inst(i).opcode).flags;
        if ((flags & (ir::kBranch | ir::kTerm)) == 0) continue;
        absl::StrAppend(&s, " | <", i.Name(), ">", ir::PrintInst(f, i), "\n");
        for (uint32_t bc : f.dfg.block_calls(i)) {
          absl::StrAppend(&edges, "    ", b.Name(), ":", i.Name(), " -> ", f.dfg.block_call(bc).block.Name(), "\n");
        }
      }
      s += "}\"]\n";
    }
    return s + edges + "}\n";
  }

  void RunDomtree() {
    for (const ir::ParsedFunction& pf : file_.functions) {
      const ir::Function& f = *pf.function;
      ir::ControlFlowGraph cfg;
      cfg.Compute(f);
      ir::DominatorTree dt;
      dt.Compute(f, cfg);
      for (const ir::Comment& c : f.comments) {
        size_t at = c.text.find("dominates:");
        if (at == std::string::npos || c.attach != ir::Comment::kInst) continue;
        ir::Inst inst(c.index);
        ir::Block owner = f.layout.inst_block(inst);
        uint32_t line = f.text_line(inst);
        for (absl::string_view word : absl::StrSplit(absl::string_view(c.text).substr(at + 10), ' ', absl::SkipEmpty())) {
          uint32_t n = 0;
          if (!absl::StartsWith(word, "block") || !absl::SimpleAtoi(word.substr(5), &n)) {
            Add(Outcome::kFail, "domtree", line, absl::StrCat(Where(line), ": expected blockN in `dominates:`, found '",
                                                              std::string(word), "'"));
            continue;
          }
          ir::Block b(n);
          if (b.index() < f.dfg.num_blocks() && dt.idom(b) == owner) {
            Add(Outcome::kPass, "domtree", line, "");
          } else {
            Add(Outcome::kFail, "domtree", line,
                absl::StrCat(Where(line), ": expected block", owner.index(), " to immediately dominate block", n,
                             ", its idom is ", dt.idom(b).valid() ? dt.idom(b).Name() : std::string("none")));
          }
        }
      }
      if (!ChecksOf(f).empty()) CheckOutput("domtree", pf, DomtreeText(f, dt));
    }
  }

  std::string path_;
  const FiletestOptions& options_;
  FiletestReport* report_;
  ir::TestFile file_;
  module::JitModule* native_ = nullptr;
  uint32_t target_line_ = 0;  // of the target a `run` or `compile` pass is under
  bool has_interpret_ = false;
  std::vector<std::string> verify_errors_;  // by function; empty when it verifies
};

const FileRun::Kind FileRun::kKinds[7] = {
    {"interpret", &FileRun::RunInterpret}, {"verifier", &FileRun::RunVerifier},
    {"domtree", &FileRun::RunDomtree},     {"cat", &FileRun::RunCat},
    {"print-cfg", &FileRun::RunPrintCfg},  {"run", &FileRun::RunNative},
    {"compile", &FileRun::RunCompile},
};

}  // namespace

void RunFiletest(std::string_view path, std::string_view text, const FiletestOptions& options,
                 FiletestReport* report) {
  FileRun run(path, options, report);
  run.Run(text);
}

absl::StatusOr<std::vector<std::string>> CollectClifFiles(const std::vector<std::string>& paths) {
  return CollectInputFiles(paths, ".clif");
}

}  // namespace lathe::testsuite

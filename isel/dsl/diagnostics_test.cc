// One test per diagnostic of the rules compiler: each checks the exact `file:line:col: message`.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "isel/dsl/compiler.h"

namespace lathe::dsl {
namespace {

using ::testing::HasSubstr;

// Shared declarations: lines 1-9 of every test file.
constexpr char kPrelude[] =
    "(type Value (extern \"int\"))\n"             // 1
    "(type Op (enum Add Sub))\n"                  // 2
    "(decl op (Op Value) Value)\n"                // 3
    "(extern extractor op match_op)\n"            // 4
    "(decl emit (u8) Value)\n"                    // 5
    "(extern constructor emit emit)\n"            // 6
    "(decl partial maybe (Value) u8)\n"           // 7
    "(extern constructor maybe maybe)\n"          // 8
    "(decl lower (Value) Value)\n";               // 9

std::string Diagnose(const std::string& rules) {
  Compilation c = Compile({SourceFile{"t.isel", std::string(kPrelude) + rules}}, nullptr);
  return c.formatted_diagnostics;
}

TEST(Diagnostics, CleanRulesHaveNone) {
  EXPECT_EQ(Diagnose("(rule (lower (op Op.Add x)) (emit 1))\n"
                     "(rule (lower (op Op.Sub x)) (emit 2))\n"),
            "");
}

TEST(Diagnostics, UnknownTermInExpression) {
  EXPECT_EQ(Diagnose("(rule (lower x) (nosuch x))\n"), "t.isel:10:17: unknown term 'nosuch'\n");
}

TEST(Diagnostics, UnknownTermInPattern) {
  EXPECT_EQ(Diagnose("(rule (lower (nosuch x)) (emit 1))\n"),
            "t.isel:10:14: unknown term 'nosuch'\n");
}

TEST(Diagnostics, UnknownTermInRuleHead) {
  EXPECT_EQ(Diagnose("(rule (nosuch x) (emit 1))\n"),
            "t.isel:10:7: unknown term 'nosuch' in rule: declare it first with "
            "(decl nosuch (ARGS...) RET)\n");
}

TEST(Diagnostics, TypeMismatchInExpression) {
  EXPECT_EQ(Diagnose("(rule (lower x) x)\n(decl other (Value) u8)\n(rule (other x) x)\n"),
            "t.isel:12:17: type mismatch: expected 'u8', found 'Value'\n");
}

TEST(Diagnostics, TypeMismatchOfEnumConstantInPattern) {
  EXPECT_EQ(Diagnose("(rule (lower (op x Op.Add)) (emit 1))\n"),
            "t.isel:10:20: type mismatch: expected a pattern for 'Value', found one for 'Op'\n");
}

TEST(Diagnostics, LiteralOutOfRange) {
  EXPECT_EQ(Diagnose("(rule (lower x) (emit 256))\n"),
            "t.isel:10:23: integer 256 does not fit in type 'u8'\n");
}

TEST(Diagnostics, NegativeLiteralForUnsignedType) {
  EXPECT_EQ(Diagnose("(decl w (u64) u64)\n(rule (w x) -1)\n"),
            "t.isel:11:13: integer -1 does not fit in type 'u64'\n");
  EXPECT_EQ(Diagnose("(decl w (u64) u64)\n(rule (w x) 0xffffffffffffffff)\n"), "");
}

TEST(Diagnostics, WrongArityInExpression) {
  EXPECT_EQ(Diagnose("(rule (lower x) (emit 1 2))\n"),
            "t.isel:10:17: wrong number of arguments to 'emit': expected 1, found 2\n");
}

TEST(Diagnostics, WrongArityInPattern) {
  EXPECT_EQ(Diagnose("(rule (lower (op x)) (emit 1))\n"),
            "t.isel:10:14: wrong number of arguments to 'op': expected 2, found 1\n");
}

TEST(Diagnostics, Overlap) {
  EXPECT_EQ(Diagnose("(rule (lower (op Op.Add x)) (emit 1))\n"
                     "(rule (lower (op _ y)) (emit 2))\n"),
            "t.isel:11:1: rule overlaps the rule at t.isel:10:1: both have priority 0 for term "
            "'lower' and can match the same input; give one a different priority or make their "
            "patterns disjoint\n");
}

TEST(Diagnostics, DisjointConstantsDoNotOverlap) {
  EXPECT_EQ(Diagnose("(rule (lower (op Op.Add x)) (emit 1))\n"
                     "(rule (lower (op Op.Sub (op Op.Add y))) (emit 2))\n"
                     "(rule (lower (op Op.Sub (op Op.Sub y))) (emit 3))\n"),
            "");
}

TEST(Diagnostics, UnreachableRule) {
  EXPECT_EQ(Diagnose("(rule 1 (lower (op _ x)) (emit 1))\n"
                     "(rule (lower (op Op.Add x)) (emit 2))\n"),
            "t.isel:11:1: rule can never fire: the rule at t.isel:10:1 has higher priority "
            "(1 > 0) and matches every input this rule matches\n");
}

TEST(Diagnostics, CatchAllShadowsEverythingBelow) {
  EXPECT_THAT(Diagnose("(rule 5 (lower _) (emit 1))\n(rule 2 (lower (op Op.Add x)) (emit 2))\n"),
              HasSubstr("t.isel:11:1: rule can never fire: the rule at t.isel:10:1"));
}

TEST(Diagnostics, BadSyntaxUnclosedParen) {
  EXPECT_EQ(Diagnose("(rule (lower x) (emit 1)\n"),
            "t.isel:10:1: unclosed '(': expected ')' before the end of the file\n");
}

TEST(Diagnostics, BadSyntaxStrayCloseParen) {
  EXPECT_EQ(Diagnose("(rule (lower x) (emit 1)))\n"),
            "t.isel:10:26: unexpected ')': no list is open here\n");
}

TEST(Diagnostics, BadSyntaxCharacter) {
  EXPECT_EQ(Diagnose("(rule (lower x) #(emit 1))\n"),
            "t.isel:10:17: unexpected character '#': expected '(', ')', an identifier, an "
            "integer or a string\n");
}

TEST(Diagnostics, BadSyntaxUnknownForm) {
  EXPECT_EQ(Diagnose("(rules (lower x) (emit 1))\n"),
            "t.isel:10:2: unknown form 'rules': expected type, decl, rule, extractor, extern or "
            "convert\n");
}

TEST(Diagnostics, BadSyntaxMissingResult) {
  EXPECT_EQ(Diagnose("(rule (lower x))\n"),
            "t.isel:10:1: expected (rule [PRIORITY] (TERM PATTERN...) GUARD... RESULT)\n");
}

TEST(Diagnostics, IntegerTooLarge) {
  EXPECT_EQ(Diagnose("(rule (lower x) (emit 99999999999999999999))\n"),
            "t.isel:10:23: integer literal '99999999999999999999' does not fit in 64 bits\n");
}

TEST(Diagnostics, UnknownType) {
  EXPECT_EQ(Diagnose("(decl f (Nope) u8)\n"), "t.isel:10:7: unknown type 'Nope'\n");
}

TEST(Diagnostics, UnknownVariable) {
  EXPECT_EQ(Diagnose("(rule (lower x) y)\n"),
            "t.isel:10:17: unknown variable 'y': it is not bound by the pattern or an enclosing "
            "let\n");
}

TEST(Diagnostics, PartialTermInResult) {
  EXPECT_EQ(Diagnose("(rule (lower x) (emit (maybe x)))\n"),
            "t.isel:10:23: partial term 'maybe' may fail; call it in an if-let guard, not in a "
            "rule's result\n");
}

TEST(Diagnostics, ImpureTermInGuard) {
  EXPECT_EQ(Diagnose("(rule (lower x) (if-let k (maybe x)) (emit k))\n"),
            "t.isel:10:27: term 'maybe' is not pure; guards and pure terms may only call terms "
            "declared (decl pure ...)\n");
}

TEST(Diagnostics, ConstructorUsedAsExtractor) {
  EXPECT_EQ(Diagnose("(rule (lower (emit k)) (emit k))\n"),
            "t.isel:10:14: term 'emit' has no extractor, so it cannot be used in a pattern\n");
}

TEST(Diagnostics, DuplicateDeclaration) {
  EXPECT_EQ(Diagnose("(decl lower (Value) u8)\n"),
            "t.isel:10:7: term 'lower' is already declared at t.isel:9:7\n");
}

TEST(Diagnostics, RecursiveExtractorIsCaught) {
  EXPECT_THAT(Diagnose("(decl loop (Value) Value)\n(extractor (loop x) (loop x))\n"
                       "(rule (lower (loop x)) (emit 1))\n"),
              HasSubstr("t.isel:12:14: pattern expands to too many steps"));
}

TEST(Diagnostics, TermNamesMustBeCppFunctionNames) {
  EXPECT_EQ(Diagnose("(decl new (Value) Value)\n(rule (new x) x)\n"),
            "t.isel:10:7: term 'new' is defined by rules, so it becomes a C++ function, but 'new' "
            "cannot name one\n");
  EXPECT_EQ(Diagnose("(decl a-b (Value) Value)\n(decl a_b (Value) Value)\n"
                     "(rule (a-b x) x)\n(rule (a_b x) x)\n"),
            "t.isel:11:7: terms 'a-b' and 'a_b' would both become the C++ function 'a_b'\n");
}

TEST(Diagnostics, MultiExtractorOutsideMultiTerm) {
  EXPECT_EQ(Diagnose("(decl multi each (Value) Value)\n(extern extractor each each)\n"
                     "(rule (lower (each x)) x)\n"),
            "t.isel:12:14: multi extractor 'each' may only be used in the rules of a multi term\n");
}

TEST(Diagnostics, MultiTermInExpression) {
  EXPECT_EQ(Diagnose("(decl multi all (Value) Value)\n(rule (all x) x)\n(rule (lower x) (all x))\n"),
            "t.isel:12:17: multi term 'all' yields several values; it cannot be called in an "
            "expression\n");
}

TEST(Diagnostics, ExternConstructorCannotHaveRules) {
  EXPECT_EQ(Diagnose("(rule (emit x) x)\n"),
            "t.isel:10:7: term 'emit' has an extern constructor; it cannot also be defined by "
            "rules\n");
}

TEST(Diagnostics, ExtractorParameterCount) {
  EXPECT_EQ(Diagnose("(decl two (Value Value) Value)\n(extractor (two a) (op _ a))\n"),
            "t.isel:11:12: wrong number of parameters for extractor 'two': expected 2, found 1\n");
}

TEST(Diagnostics, BadConversionTerm) {
  EXPECT_EQ(Diagnose("(convert Value u8 maybe)\n"),
            "t.isel:10:1: conversion term 'maybe' must be a total constructor of type (Value) u8\n");
}

TEST(Diagnostics, LetBindingsSeeOnlyEarlierBindings) {
  EXPECT_EQ(Diagnose("(rule (lower x) (let ((a Value b) (b Value x)) a))\n"),
            "t.isel:10:32: unknown variable 'b': it is not bound by the pattern or an enclosing "
            "let\n");
  EXPECT_EQ(Diagnose("(rule (lower x) (let ((a Value x) (b Value a)) b))\n"), "");
}

TEST(Diagnostics, UntypedLiteralInGuard) {
  EXPECT_EQ(Diagnose("(rule (lower x) (if-let y 5) x)\n"),
            "t.isel:10:27: cannot infer the type of this literal: use it where a type is known\n");
}

TEST(Diagnostics, RepeatedVariableOfDifferentType) {
  EXPECT_EQ(Diagnose("(decl pair2 (Op Value) Value)\n(extern extractor pair2 pair2)\n"
                     "(rule (lower (pair2 x x)) x)\n"),
            "t.isel:12:23: type mismatch: variable 'x' has type 'Op' but this position has type "
            "'Value'\n");
}

TEST(Diagnostics, StatusApiCarriesTheDiagnostics) {
  CodegenOptions options;
  options.header_path = "x.h";
  absl::StatusOr<GeneratedCode> bad =
      CompileToCpp({SourceFile{"t.isel", std::string(kPrelude) + "(rule (lower x) y)\n"}}, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("t.isel:10:17: unknown variable 'y'"));
  absl::StatusOr<GeneratedCode> good =
      CompileToCpp({SourceFile{"t.isel", std::string(kPrelude) + "(rule (lower x) x)\n"}}, options);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_THAT(good->source, HasSubstr("int lower(Context& ctx, const int& b0)"));
}

TEST(Diagnostics, EveryMessageNamesFileLineAndColumn) {
  Compilation c = Compile({SourceFile{"a.isel", "(type T (enum A))\n"},
                           SourceFile{"b.isel", "(decl f (T) T)\n(rule (f T.B) T.A)\n"}},
                          nullptr);
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_EQ(c.formatted_diagnostics, "b.isel:2:10: enum 'T' has no variant 'B'\n");
}

}  // namespace
}  // namespace lathe::dsl

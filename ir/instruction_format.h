// Instruction formats: the shape of an instruction's operands (how many values, which
// immediates and entity references). The format decides how the parser reads an instruction,
// how the printer writes it, and which fields of InstData are meaningful.
#ifndef LATHE_IR_INSTRUCTION_FORMAT_H_
#define LATHE_IR_INSTRUCTION_FORMAT_H_

namespace lathe::ir {

enum class Format : unsigned char {
  kNullAry,           // op
  kUnary,             // op x
  kUnaryImm,          // op imm64
  kUnaryIeee16,       // op f16
  kUnaryIeee32,       // op f32
  kUnaryIeee64,       // op f64
  kUnaryConst,        // op constN (or an inline literal)
  kUnaryGlobalValue,  // op gvN
  kBinary,            // op x, y
  kBinaryImm8,        // op x, lane
  kTernary,           // op x, y, z
  kTernaryImm8,       // op x, y, lane
  kMultiAry,          // op v1, v2, ...
  kShuffle,           // op x, y, mask128
  kIntCompare,        // op cc, x, y
  kFloatCompare,      // op cc, x, y
  kJump,              // op block(args)
  kBrif,              // op c, block(args), block(args)
  kBranchTable,       // op x, default(args), [block(args), ...]
  kCall,              // op fnN(args)
  kCallIndirect,      // op sigN, callee(args)
  kTryCall,           // op fnN(args), sigN, block(args), [tag: block(args), ...]
  kTryCallIndirect,   // op callee(args), sigN, block(args), [...]
  kFuncAddr,          // op fnN
  kAtomicRmw,         // op flags rmwop p, x
  kAtomicCas,         // op flags p, e, x
  kLoad,              // op flags p+offset
  kLoadNoOffset,      // op flags x
  kStore,             // op flags x, p+offset
  kStoreNoOffset,     // op flags x, p
  kStackAddr,         // op ssN+offset
  kDynamicStackAddr,  // op dssN
  kTrap,              // op code
  kCondTrap,          // op c, code
  kIntAddTrap,        // op x, y, code
  kExceptionHandlerAddress,  // op block, index
};

}  // namespace lathe::ir

#endif  // LATHE_IR_INSTRUCTION_FORMAT_H_

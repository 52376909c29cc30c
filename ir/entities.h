// Entity references: dense 32-bit indexes into the tables of a Function. Each kind is a distinct
// type so that a Value cannot be passed where a Block is expected. The reserved index
// 0xffffffff means "none" (default-constructed). `Prefix()` is the text prefix CLIF uses.
#ifndef LATHE_IR_ENTITIES_H_
#define LATHE_IR_ENTITIES_H_

#include <cstdint>
#include <string>

namespace lathe::ir {

template <typename Tag>
class EntityRef {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;
  constexpr EntityRef() : index_(kNone) {}
  constexpr explicit EntityRef(uint32_t index) : index_(index) {}
  constexpr uint32_t index() const { return index_; }
  constexpr bool valid() const { return index_ != kNone; }
  static constexpr const char* Prefix() { return Tag::kPrefix; }
  std::string Name() const { return std::string(Tag::kPrefix) + std::to_string(index_); }
  friend constexpr bool operator==(EntityRef a, EntityRef b) { return a.index_ == b.index_; }
  friend constexpr bool operator!=(EntityRef a, EntityRef b) { return a.index_ != b.index_; }
  friend constexpr bool operator<(EntityRef a, EntityRef b) { return a.index_ < b.index_; }
  template <typename H>
  friend H AbslHashValue(H h, EntityRef e) {
    return H::combine(std::move(h), e.index_);
  }

 private:
  uint32_t index_;
};

#define LATHE_ENTITY(NAME, PREFIX)              \
  struct NAME##Tag {                            \
    static constexpr const char kPrefix[] = PREFIX; \
  };                                            \
  using NAME = EntityRef<NAME##Tag>;

LATHE_ENTITY(Value, "v")
LATHE_ENTITY(Inst, "inst")
LATHE_ENTITY(Block, "block")
LATHE_ENTITY(StackSlot, "ss")
LATHE_ENTITY(DynamicStackSlot, "dss")
LATHE_ENTITY(DynamicType, "dt")
LATHE_ENTITY(GlobalValue, "gv")
LATHE_ENTITY(SigRef, "sig")
LATHE_ENTITY(FuncRef, "fn")
LATHE_ENTITY(JumpTable, "jt")
LATHE_ENTITY(Constant, "const")
LATHE_ENTITY(ExceptionTable, "et")
LATHE_ENTITY(MemoryRegion, "region")

#undef LATHE_ENTITY

}  // namespace lathe::ir

#endif  // LATHE_IR_ENTITIES_H_

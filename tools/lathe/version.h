// Lathe's version string, printed by `lathe version`.
#ifndef LATHE_TOOLS_LATHE_VERSION_H_
#define LATHE_TOOLS_LATHE_VERSION_H_

namespace lathe::tool {

inline constexpr const char kVersion[] = "0.1.0-dev";

}  // namespace lathe::tool

#endif  // LATHE_TOOLS_LATHE_VERSION_H_
